"""Bulk imports from spreadsheets (批量导入): templates to fill in, an uploaded file checked
row by row in a job, and nothing written until the operator confirms; importing the same
file again changes nothing."""
