#!/usr/bin/env python3
"""Peer for the readers bench: pdfplumber reading every table of the given PDFs.

usage: pdfplumber-tables.py FILE.pdf...
Prints one line: `pdfplumber: N files, P pages, T tables, S s` (time to open each file and
run extract_tables() on every page, single-threaded, after imports).
Needs `pip install pdfplumber`."""
import sys, time

import pdfplumber

files = sys.argv[1:]
if not files:
    sys.exit(__doc__)
start = time.perf_counter()
pages = tables = 0
for f in files:
    with pdfplumber.open(f) as pdf:
        for page in pdf.pages:
            pages += 1
            tables += len(page.extract_tables())
secs = time.perf_counter() - start
print(f"pdfplumber: {len(files)} files, {pages} pages, {tables} tables, {secs:.3f} s")
