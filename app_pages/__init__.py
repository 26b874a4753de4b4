"""The dashboard's pages, one script each, run by st.navigation in dashboard.py."""
