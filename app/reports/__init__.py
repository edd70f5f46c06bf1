"""Reports counted from cases: the annual report (条例第四十九条、第五十条, 30号) and the periodic analysis."""
