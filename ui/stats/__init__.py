"""The statistics (统计) screen: the annual-report tables, their export, trends and the periodic analysis."""
