"""Entry point: 河南省教师资格认定工作监测 dashboard.

Until the warehouse and the oversight pages land, this shows the campaign being
followed and what the demo data holds, so that `make run` serves a real page.
"""

import streamlit as st

from domain.campaign import CAMPAIGNS_DIR, load_campaign
from domain.regions import load_units

st.set_page_config(page_title="教师资格认定工作监测", page_icon="📋", layout="wide")

campaign = load_campaign(CAMPAIGNS_DIR / "2020H1.toml")
units = load_units()

st.title("河南省中小学教师资格认定工作监测")
st.caption(f"{campaign.name}（{campaign.notice}）")
col1, col2, col3 = st.columns(3)
col1.metric("网上报名时间", f"{campaign.registration_start:%m-%d} 至 {campaign.registration_end:%m-%d}")
col2.metric("全部完成时限", f"{campaign.final_date:%Y-%m-%d}")
col3.metric("直接报送单位", f"{len(units.reporting())} 个")
st.info("数据仓库和监测页面正在建设中。演示数据位于 data/demo/，由 `python -m etl demo` 生成。")
