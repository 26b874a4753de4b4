"""/coverage page."""

import streamlit as st

st.title("coverage")
