"""Consultations (居民议事): before a call is published, the bureau asks one community's residents
which of its needs or proposed projects to buy first; each resident on the district's roll there
votes once and may comment; paper and meeting votes are entered by staff; the result is
published with its counts, and a call can cite it."""
