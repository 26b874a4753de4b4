"""/indicator page."""

import streamlit as st

st.title("indicator")
