"""`mgi review`: static HTML pages to see (and label) what was extracted."""
