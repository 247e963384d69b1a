"""Community notices (社区通知): staff write to the residents of an area, and residents choose
how they hear from the platform (text messages, community notices or not)."""
