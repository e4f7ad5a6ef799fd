"""Published forms of a 自评表 for the review's tests: one grid (:mod:`.grid`), rendered as each
form a reviewer receives (web page, Word, Excel, .xls, text PDF, scanned PDF)."""
