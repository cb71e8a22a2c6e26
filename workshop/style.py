"""The page's style sheet: compact controls, cards and tables for a projector."""

from __future__ import annotations

CSS = """
.v-navigation-drawer__content { padding: 0 6px !important; }
.ws-lever-head { display: flex; justify-content: space-between; align-items: baseline;
                 font-size: 13.5px; flex-wrap: nowrap; }
.ws-scenario .ws-value { color: #666; }
.ws-own .ws-value { font-weight: 700; color: #000; }
.ws-lever .v-input__slot { min-height: 18px !important; margin-bottom: 0 !important; }
.ws-lever .v-input { margin-top: -4px !important; padding-top: 0 !important; }
.ws-lever .v-messages { display: none !important; }
.ws-lever .v-input__control { min-height: 22px !important; }
.ws-lever .v-slider { min-height: 22px !important; }
.ws-back { min-width: 20px !important; height: 18px !important; padding: 0 4px !important; }
.ws-kpi { border-radius: 6px; padding: 3px 9px; background: #f3f4f6; flex: 1 1 0; }
.ws-kpi b { font-size: 19px; }
.ws-small { font-size: 12px; color: #555; }
.ws-chart { background: white; border: 1px solid #e6e6e6; border-radius: 6px; padding: 2px; }
.ws-verdicts { padding-left: 18px; }
.ws-verdicts li { margin: 2px 0; font-size: 14px; }
table.compare { border-collapse: collapse; font-size: 12.5px; width: 100%; }
table.compare td, table.compare th { padding: 1px 4px; text-align: right; white-space: nowrap; }
table.compare td:first-child { white-space: normal; }
table.compare td:first-child, table.compare th:first-child { text-align: left; }
.better { background: #d8f0d8; } .worse { background: #f8d7d4; } .noise { color: #888; }
.changed { background: #e8eaf6; }
.v-tab { text-transform: none !important; font-size: 16px !important;
         letter-spacing: 0 !important; }
.v-btn { text-transform: none !important; letter-spacing: 0 !important; }
.solara-content-main > .v-content__wrap > div { padding-top: 0 !important; }
"""
