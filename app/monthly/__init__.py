"""Monthly reports (每月通报): each calendar month's money and service figures, per
organization and for the whole district, kept as a snapshot once published."""
