"""Report: the monthly Markdown/HTML report, its charts and appendix, and exports for BI tools."""
