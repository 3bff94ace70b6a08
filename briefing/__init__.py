"""周报: the weekly briefing — the dashboard's charts for one week and scope as PNGs, a Word
document and a PDF, drawn by the pages' own builders from the pages' own queries."""
