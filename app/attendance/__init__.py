"""Attendance at service slots (到场记录): whether a resident who booked a service came, and how
that is known — the slot's rotating code scanned on the spot, staff marking the roster, or the
resident confirming afterwards; a no-show (未到场) is recorded by staff. People served count
attendance, not bookings."""
