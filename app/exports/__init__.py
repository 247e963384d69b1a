"""Exports (导出): statements, audit reports and open data built by jobs on the ``exports``
queue, with progress shown and a download for the tenant's bureau and auditors."""
