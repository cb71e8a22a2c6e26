"""The page's style sheet: the shell for every screen, compact controls, cards and tables.

The shell is the app's own (no Solara app layout): a top bar, the sidebar and
the main area. From 900 px wide the sidebar sits beside the main area and can
be hidden; narrower (a tablet upright, a phone) it is a panel over the page,
opened from the top bar and closed with its ✕. The sidebar's run controls
(start, the month reached) stay at its foot, always in view. Charts shrink to
the height of the window, so that the model tab fits from 1280 x 720 up.
Presentation mode hides the sidebar and enlarges everything; its lock lays a
transparent cover over the page.
"""

from __future__ import annotations

CSS = """
html, body { overflow: hidden !important; }
.ws-shell { position: fixed; inset: 0; display: grid; grid-template-rows: 44px minmax(0, 1fr);
            grid-template-columns: 340px minmax(0, 1fr); background: #fafafa; }
.ws-top { grid-column: 1 / -1; display: flex; align-items: center; gap: 6px; padding: 0 8px;
          background: #1976d2; color: white; min-width: 0; }
.ws-top .ws-title { font-size: 17px; font-weight: 500; white-space: nowrap; overflow: hidden;
                    text-overflow: ellipsis; flex: 1 1 auto; min-width: 0; }
.ws-top .v-btn { color: white !important; min-width: 0 !important; padding: 0 8px !important; }
.ws-top .v-btn-toggle .v-btn { color: #1976d2 !important; }
.ws-side { grid-row: 2; grid-column: 1; display: flex; flex-direction: column; min-height: 0;
           background: white; border-right: 1px solid #ddd; }
.ws-side-scroll { flex: 1 1 auto; overflow-y: auto; overflow-x: hidden; padding: 4px 10px; }
.ws-side-foot { flex: 0 0 auto; border-top: 1px solid #ddd; padding: 6px 10px;
                background: #f5f8fc; }
.ws-side-close { display: none; text-align: right; }
.ws-main { grid-row: 2; grid-column: 2; overflow: auto; min-width: 0; padding: 0 10px 8px;
           container-type: inline-size; container-name: main; }
.ws-shell.ws-hidden .ws-side { display: none; }
.ws-shell.ws-hidden .ws-main { grid-column: 1 / -1; }
.ws-narrow-only { display: none !important; }
@media (max-width: 1099px) { .ws-shell { grid-template-columns: 290px minmax(0, 1fr); } }
@media (max-width: 899px) {
  .ws-shell { grid-template-columns: minmax(0, 1fr); }
  .ws-main { grid-column: 1 / -1; }
  .ws-side { position: fixed; top: 44px; bottom: 0; left: 0; width: min(360px, 100vw);
             z-index: 20; box-shadow: 2px 0 12px rgba(0,0,0,.3); display: none; }
  .ws-shell.ws-shown .ws-side { display: flex; }
  .ws-side-close { display: block; }
  .ws-top .ws-title { display: none; }
  .ws-wide-only { display: none !important; }
  .ws-narrow-only { display: inline-flex !important; }
  .ws-top .ws-title { font-size: 15px; }
}
@media (max-width: 620px) {
  .ws-top .ws-label { display: none !important; }
  .ws-tabs .v-tab { font-size: 14px !important; padding: 0 7px !important; }
  .ws-tabs .v-slide-group__prev, .ws-tabs .v-slide-group__next { display: none !important; }
  .ws-main { padding: 0 6px 8px; }
}
.ws-shell.ws-present .ws-side { display: none !important; }
.ws-shell.ws-present .ws-main { grid-column: 1 / -1; zoom: 1.3; }
.ws-lock { position: fixed; inset: 44px 0 0 0; z-index: 30; background: rgba(0,0,0,0);
           cursor: not-allowed; }
.ws-lever-head { display: flex; justify-content: space-between; align-items: baseline;
                 font-size: 13px; flex-wrap: wrap; gap: 0 6px; }
.ws-lever-head > span:first-child { white-space: nowrap; }
.ws-lever-head > div { margin-left: auto; }
.ws-scenario .ws-value { color: #666; }
.ws-own .ws-value { font-weight: 700; color: #000; }
.ws-value { text-align: right; }
.ws-lever .v-input__slot { min-height: 18px !important; margin-bottom: 0 !important; }
.ws-lever .v-input { margin-top: -4px !important; padding-top: 0 !important; }
.ws-lever .v-messages { display: none !important; }
.ws-lever .v-input__control { min-height: 22px !important; }
.ws-lever .v-slider { min-height: 22px !important; }
.ws-back { min-width: 20px !important; height: 18px !important; padding: 0 4px !important; }
.ws-kpis { display: flex; flex-wrap: wrap; gap: 6px; margin: 0 0 4px 0; }
.ws-kpi { border-radius: 6px; padding: 2px 8px; background: #f0f2f5; flex: 1 1 150px;
          line-height: 1.25; }
.ws-kpi b { font-size: 18px; }
.ws-kpi-title { font-size: 12px; font-weight: 600; white-space: nowrap; overflow: hidden;
                text-overflow: ellipsis; }
.ws-kpi-head { margin-top: -2px; }
.ws-small { font-size: 12px; color: #555; }
.ws-charts { display: grid; grid-template-columns: repeat(2, minmax(0, 1fr)); gap: 6px; }
.ws-charts3 { display: grid; grid-template-columns: repeat(3, minmax(0, 1fr)); gap: 6px; }
@container main (max-width: 640px) {
  .ws-charts, .ws-charts3 { grid-template-columns: minmax(0, 1fr); }
}
@container main (max-width: 900px) {
  .ws-charts3 { grid-template-columns: repeat(2, minmax(0, 1fr)); }
}
.ws-chart { background: white; border: 1px solid #e6e6e6; border-radius: 6px; padding: 2px;
            min-width: 0; }
.ws-chart svg { display: block; margin: 0 auto; max-height: max(190px, calc(50vh - 118px)); }
.ws-present .ws-chart svg { max-height: max(190px, calc(38vh - 80px)); }
.ws-row { display: flex; flex-wrap: wrap; gap: 8px 12px; align-items: center; }
.ws-story { font-size: 14px; background: #fff8e1; border-radius: 6px; padding: 4px 10px;
            margin: 2px 0 4px; }
.ws-story ul { margin: 0; padding-left: 18px; }
.ws-verdicts { padding-left: 18px; }
.ws-verdicts li { margin: 2px 0; font-size: 14px; }
.ws-compare-top { display: flex; flex-wrap: wrap; gap: 12px; align-items: flex-start; }
.ws-compare-top > div:first-child { flex: 1 1 280px; min-width: 0; }
.ws-compare-top > div:last-child { flex: 2 1 420px; min-width: 0; overflow-x: auto; }
table.compare { border-collapse: collapse; font-size: 12.5px; width: 100%; }
table.compare td, table.compare th { padding: 1px 4px; text-align: right; white-space: nowrap; }
table.compare td:first-child { white-space: normal; }
table.compare td:first-child, table.compare th:first-child { text-align: left; }
.better { background: #d8f0d8; } .worse { background: #f8d7d4; } .noise { color: #888; }
.changed { background: #e8eaf6; }
.ws-maps { display: flex; flex-wrap: wrap; gap: 14px; align-items: flex-start; }
.ws-maps > div { flex: 1 1 240px; max-width: 330px; }
.ws-room { display: grid; grid-template-columns: repeat(auto-fill, minmax(250px, 1fr));
           gap: 8px; }
.ws-room-run { font-size: 13px; line-height: 1.3; margin-top: 2px; }
.ws-room-card { background: white; border: 1px solid #ddd; border-radius: 8px; padding: 6px 10px; }
.ws-room-card.ws-picked { border: 2px solid #1976d2; }
.ws-room-card table { font-size: 12.5px; border-collapse: collapse; width: 100%; }
.ws-room-card td { padding: 1px 2px; vertical-align: top; }
.ws-room-card td:last-child { text-align: right; white-space: nowrap; font-weight: 600; }
.ws-tabs .v-tab { text-transform: none !important; font-size: 16px !important;
                  letter-spacing: 0 !important; min-width: 0 !important; padding: 0 12px; }
.ws-tabs .v-tabs-bar { height: 40px !important; }
.v-btn { text-transform: none !important; letter-spacing: 0 !important; }
.ws-error { margin: 4px 0 !important; }
.ws-filepick { border: 1px dashed #999; border-radius: 6px; padding: 10px; margin: 6px 0;
               cursor: pointer; text-align: center; color: #444; }
"""
