"""The renderers of a report: one module per format (`html`, `pdf`), and the formatting they share
(`cells`), so that a figure reads the same on the page and on paper."""
