"""The Streamlit side of the dashboard: cached loaders (cache), sidebar state (state), widgets."""
