"""Letters in the desktop application: the case page's letters panel, the letter window, the 送达 dialog."""
