"""Importing the spreadsheets offices already have: files → rows → people or companies, run
as a background job (jobs.py). Each module is imported by its own path."""
