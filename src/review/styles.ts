/** The page's only stylesheet, served from /review/assets/review.css (CSP style-src 'self': no inline styles). */
export const REVIEW_CSS = `
:root {
  --bg: #f7f7f5; --panel: #ffffff; --text: #1d1d1f; --muted: #5f6368; --line: #dedcd6;
  --accent: #2456c9; --accent-text: #ffffff; --focus: #f0a800;
  --add-bg: #dcf5e3; --add-text: #0c5b27; --del-bg: #fde2e1; --del-text: #8f1b14;
  --ok: #0c6b32; --warn: #8a5a00; --bad: #b3261e; --info: #3b4a9e;
  color-scheme: light dark;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #17181a; --panel: #202124; --text: #e8e8e6; --muted: #a4a7ab; --line: #3a3b3e;
    --accent: #8fb0ff; --accent-text: #111318;
    --add-bg: #143d24; --add-text: #a6e9bb; --del-bg: #4a1d1b; --del-text: #ffb4ab;
    --ok: #7fd99a; --warn: #f2c46b; --bad: #ff8a80; --info: #aab6ff;
  }
}
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body {
  margin: 0; background: var(--bg); color: var(--text);
  font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif;
}
a { color: var(--accent); }
a:hover { text-decoration-thickness: 2px; }
:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; border-radius: 3px; }
.skip { position: absolute; left: -999px; top: 0; background: var(--panel); padding: .5rem 1rem; }
.skip:focus { left: .5rem; z-index: 10; }
header.top {
  display: flex; align-items: center; gap: 1rem; flex-wrap: wrap;
  padding: .75rem max(1rem, calc((100vw - 72rem) / 2)); background: var(--panel); border-bottom: 1px solid var(--line);
}
header.top .brand { font-weight: 650; color: var(--text); text-decoration: none; font-size: 1.05rem; }
header.top .brand span { color: var(--muted); font-weight: 400; }
header.top .who { margin-left: auto; color: var(--muted); font-size: .9rem; display: flex; gap: .75rem; align-items: center; }
main { max-width: 72rem; margin: 0 auto; padding: 1.25rem 1rem 3rem; }
h1 { font-size: 1.45rem; line-height: 1.25; margin: 0 0 .25rem; overflow-wrap: anywhere; }
h1 a { color: inherit; text-decoration-thickness: 1px; text-underline-offset: 3px; }
h1 a::after { content: ' ↗'; color: var(--muted); font-size: .8em; }
form.panel p { margin-top: 0; }
h2 { font-size: 1.05rem; margin: 1.75rem 0 .6rem; }
.sub { color: var(--muted); margin: 0 0 1rem; }
.panel { background: var(--panel); border: 1px solid var(--line); border-radius: 10px; padding: 1rem; }
.panel > :first-child { margin-top: 0; }
.panel > :last-child { margin-bottom: 0; }
form.filters { display: grid; grid-template-columns: repeat(auto-fit, minmax(9.5rem, 1fr)); gap: .75rem; align-items: end; margin-bottom: 1rem; }
label { display: block; font-size: .8rem; color: var(--muted); font-weight: 600; margin-bottom: .2rem; }
input, select, button {
  font: inherit; color: inherit; background: var(--panel); border: 1px solid var(--line);
  border-radius: 7px; padding: .45rem .6rem; width: 100%; min-height: 2.5rem;
}
button, .button {
  background: var(--accent); color: var(--accent-text); border-color: transparent; font-weight: 600;
  cursor: pointer; width: auto; padding: .45rem 1rem; text-decoration: none; display: inline-block;
}
button.secondary, .button.secondary { background: transparent; color: var(--accent); border-color: var(--line); }
button.danger { background: var(--bad); color: #fff; }
button.link { background: none; border: none; color: var(--accent); padding: 0; min-height: 0; font-weight: 500; text-decoration: underline; }
.actions { display: flex; gap: .5rem; flex-wrap: wrap; align-items: center; }
table.writes { width: 100%; border-collapse: collapse; background: var(--panel); border: 1px solid var(--line); border-radius: 10px; overflow: hidden; }
table.writes th, table.writes td { text-align: left; padding: .6rem .75rem; border-bottom: 1px solid var(--line); vertical-align: top; }
table.writes th { font-size: .78rem; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); font-weight: 650; }
table.writes tbody tr:hover { background: color-mix(in srgb, var(--accent) 5%, transparent); }
table.writes td.title > a, table.writes td.title > strong { font-weight: 600; }
table.writes td .small { margin-top: .15rem; }
.muted { color: var(--muted); }
.nowrap { white-space: nowrap; }
.small { font-size: .85rem; }
.mono, code, pre { font-family: ui-monospace, "SF Mono", Menlo, Consolas, monospace; font-size: .86rem; }
.fields { display: flex; flex-wrap: wrap; gap: .25rem; }
.chip { display: inline-block; padding: .05rem .45rem; border-radius: 999px; border: 1px solid var(--line); font-size: .8rem; white-space: nowrap; }
.badge { display: inline-block; padding: .1rem .55rem; border-radius: 999px; font-size: .78rem; font-weight: 700; white-space: nowrap; border: 1px solid currentColor; }
.badge.applied { color: var(--ok); } .badge.accepted { color: var(--info); }
.badge.failed { color: var(--bad); } .badge.pending { color: var(--warn); } .badge.reverted { color: var(--muted); }
.pager { display: flex; justify-content: space-between; margin-top: 1rem; gap: 1rem; }
.empty { text-align: center; padding: 2.5rem 1rem; color: var(--muted); }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .35rem 1rem; margin: 0; }
dl.facts dt { color: var(--muted); font-size: .85rem; }
dl.facts dd { margin: 0; overflow-wrap: anywhere; }
.field { margin-bottom: 1rem; }
.field h3 { font-size: .95rem; margin: 0 0 .4rem; display: flex; gap: .5rem; align-items: baseline; flex-wrap: wrap; }
.diff { white-space: pre-wrap; overflow-wrap: anywhere; line-height: 1.6; margin: 0; }
del + ins, ins + del { margin-left: .2em; }
ins { background: var(--add-bg); color: var(--add-text); text-decoration: none; border-radius: 3px; padding: 0 1px; }
del { background: var(--del-bg); color: var(--del-text); text-decoration: line-through; border-radius: 3px; padding: 0 1px; }
.ba { display: grid; grid-template-columns: 1fr 1fr; gap: .75rem; }
.ba > div { min-width: 0; }
.ba pre { white-space: pre-wrap; overflow-wrap: anywhere; margin: 0; padding: .5rem; border-radius: 6px; }
.ba .before pre { background: var(--del-bg); color: var(--del-text); }
.ba .after pre { background: var(--add-bg); color: var(--add-text); }
ul.items { list-style: none; padding: 0; margin: 0; display: flex; flex-wrap: wrap; gap: .35rem; }
details { margin-top: .5rem; }
summary { cursor: pointer; color: var(--accent); font-size: .9rem; }
pre.request { white-space: pre-wrap; overflow-wrap: anywhere; background: var(--bg); border: 1px solid var(--line); border-radius: 8px; padding: .75rem; margin: 0; max-height: 28rem; overflow: auto; }
.now-body { white-space: pre-wrap; overflow-wrap: anywhere; max-height: 24rem; overflow: auto; border-top: 1px solid var(--line); padding-top: .75rem; margin-top: .75rem; }
.notice { border-radius: 10px; padding: .85rem 1rem; margin: 1rem 0; border: 1px solid; }
.notice h2 { margin: 0 0 .35rem; font-size: 1rem; }
.notice.ok { border-color: var(--ok); background: color-mix(in srgb, var(--ok) 9%, var(--panel)); }
.notice.warn { border-color: var(--warn); background: color-mix(in srgb, var(--warn) 10%, var(--panel)); }
.notice.bad { border-color: var(--bad); background: color-mix(in srgb, var(--bad) 9%, var(--panel)); }
.grid2 { display: grid; grid-template-columns: minmax(0, 3fr) minmax(0, 2fr); gap: 1.25rem; align-items: start; }
.login { max-width: 26rem; margin: 8vh auto 0; }
.login p { color: var(--muted); }
.login button { width: 100%; margin-top: .75rem; }
@media (max-width: 760px) {
  body { font-size: 16px; }
  .grid2, .ba { grid-template-columns: 1fr; }
  table.writes, table.writes tbody, table.writes tr, table.writes td { display: block; width: 100%; }
  table.writes thead { position: absolute; left: -9999px; }
  table.writes tr { border-bottom: 1px solid var(--line); padding: .5rem 0; }
  table.writes td { border: none; padding: .15rem .75rem; }
  table.writes td::before { content: attr(data-label); display: inline-block; min-width: 5.5rem; color: var(--muted); font-size: .78rem; font-weight: 650; text-transform: uppercase; }
  table.writes td.title::before { display: none; }
  header.top .who { margin-left: 0; width: 100%; }
}
`;
