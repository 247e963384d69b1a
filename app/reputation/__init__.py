"""Public reputation (公开信誉): an organization's record of service on its public page, and the
district's honour list (光荣榜) of volunteers who chose to appear on it."""
