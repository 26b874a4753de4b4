"""Placeholder entry point; to be replaced by the real dashboard."""

import streamlit as st

st.title("Chỉ tiêu KH&CN")
