"""kpis: plan targets, yearly figures and the progress method for provincial S&T plans.

Everything here is importable and testable without a UI; the package never imports streamlit.
"""

__version__ = "0.1.0"
