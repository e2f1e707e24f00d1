/**
 * The widget's whole stylesheet. It lives in the shadow root, so the host page's CSS cannot reach inside and
 * these rules cannot leak out. `:host` uses !important because, for important declarations, the shadow tree
 * wins over the page — a portal's `* { display: none !important }` or `div { … }` cannot hide or restyle it.
 */
export const css = `
:host{all:initial!important;display:block!important;position:static!important;contain:style!important}
*,*::before,*::after{box-sizing:border-box}
[hidden]{display:none!important}
.root{font:15px/1.6 "Hiragino Kaku Gothic ProN","Hiragino Sans","BIZ UDPGothic",Meiryo,"Yu Gothic UI","Noto Sans CJK JP","Noto Sans JP",system-ui,sans-serif;color:#1a1a1a;-webkit-text-size-adjust:100%;text-align:left;letter-spacing:normal;word-break:normal;word-wrap:break-word;overflow-wrap:anywhere;line-break:strict}
button,input{font:inherit;color:inherit;margin:0}
button{cursor:pointer;border:1px solid transparent;background:none}
:focus{outline:3px solid currentColor;outline-offset:2px}
:focus:not(:focus-visible){outline:none}
.sr{position:absolute!important;width:1px;height:1px;margin:-1px;padding:0;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap;border:0}
svg{width:24px;height:24px;fill:currentColor;flex:none}
.launcher{position:fixed;bottom:20px;right:20px;z-index:2147483000;display:flex;align-items:center;gap:8px;min-height:56px;padding:0 20px 0 16px;border-radius:28px;background:var(--accent);color:var(--on-accent);box-shadow:0 4px 14px rgba(0,0,0,.3);font-weight:700;transition:transform .15s}
.launcher:hover{transform:translateY(-2px)}
.launcher .x,.open .launcher svg:first-child{display:none}.open .launcher .x{display:block}
.open .launcher .lbl{display:none}.open .launcher{padding:0 16px}
.qr[aria-disabled]{opacity:.6;cursor:default}
.left .launcher,.left .panel{right:auto;left:20px}
.panel{position:fixed;bottom:88px;right:20px;z-index:2147483001;display:flex;flex-direction:column;width:380px;height:620px;max-height:calc(100vh - 108px);background:#fff;border-radius:12px;box-shadow:0 8px 32px rgba(0,0,0,.28);overflow:hidden;animation:rise .18s ease-out}
@keyframes rise{from{opacity:0;transform:translateY(12px)}}
.page .panel{top:0;right:0;bottom:0;left:0;width:auto;height:auto;max-height:none;border-radius:0;box-shadow:none;animation:none}
.page .log,.page .foot{padding-left:max(12px,calc(50% - 380px));padding-right:max(12px,calc(50% - 380px))}
.head{display:flex;align-items:center;gap:4px;padding:10px 8px 10px 16px;background:var(--accent);color:var(--on-accent)}
.titles{flex:1;min-width:0}
h2{margin:0;font-size:16px;line-height:1.3;font-weight:700}
.sub{margin:0;font-size:12px;opacity:.9}
.hbtn{display:flex;align-items:center;justify-content:center;min-width:44px;min-height:44px;padding:0 8px;border-radius:8px;color:inherit;font-size:13px}
.hbtn:hover{background:rgba(127,127,127,.25)}
.status{display:flex;align-items:center;gap:8px;justify-content:center;padding:4px 12px;background:#fff4ce;color:#4d3800;font-size:13px}
.status button{text-decoration:underline;color:inherit;padding:4px}
.log{position:relative;flex:1;overflow-y:auto;padding:12px;display:flex;flex-direction:column;gap:8px;overscroll-behavior:contain}
.msg{max-width:85%;padding:8px 12px;border-radius:14px;white-space:pre-wrap}
.bot{align-self:flex-start;background:#f0f2f5;border-bottom-left-radius:4px}
.user{align-self:flex-end;background:var(--accent);color:var(--on-accent);border-bottom-right-radius:4px}
.note{align-self:center;font-size:12px;color:#555;padding:0 8px;text-align:center}
.msg a{color:var(--ink);text-decoration:underline}
.user a{color:inherit}
.links{display:flex;flex-direction:column;gap:6px;margin-top:8px;white-space:normal}
.msg .lbtn{display:flex;align-items:center;gap:6px;padding:8px 12px;border-radius:8px;background:#fff;border:1px solid var(--ink);color:var(--ink);text-decoration:none;font-weight:700}
.lbtn:hover{background:#e8eef6}
.lbtn svg{width:16px;height:16px}
.typing{padding:0 16px 6px;font-size:13px;color:#555;display:flex;align-items:center;gap:6px}
.dots{display:inline-flex;gap:3px}
.dots i{width:6px;height:6px;border-radius:50%;background:#767676;animation:blink 1.2s infinite}
.dots i:nth-child(2){animation-delay:.2s}.dots i:nth-child(3){animation-delay:.4s}
@keyframes blink{50%{opacity:.2}}
.foot{border-top:1px solid #dde1e6;padding:8px 12px calc(8px + env(safe-area-inset-bottom,0px))}
.replies{display:flex;flex-wrap:wrap;gap:6px;margin-bottom:8px;max-height:40vh;overflow-y:auto;padding:2px}
.qr{min-height:40px;padding:6px 14px;border-radius:20px;border-color:var(--ink);color:var(--ink);background:#fff;text-align:left}
.qr:hover{background:#e8eef6}
.row{display:flex;gap:8px;align-items:center}
input{flex:1;min-width:0;min-height:44px;padding:8px 12px;border:1px solid #8a8f98;border-radius:22px;font-size:16px;background:#fff}
input:focus{outline:3px solid var(--ink);outline-offset:0}
.send{min-width:44px;min-height:44px;border-radius:50%;background:var(--accent);color:var(--on-accent);display:flex;align-items:center;justify-content:center}
.send:disabled{opacity:.5;cursor:default}
.tools{display:flex;gap:4px;margin-top:6px}
.tool{min-height:36px;padding:2px 10px;border-radius:6px;font-size:13px;color:#333;border-color:#c4c8cf;background:#fff}
.tool:hover{background:#f0f2f5}
@media (max-width:479.98px){
.panel{top:0;right:0;bottom:0;left:0;width:auto;height:auto;max-height:none;border-radius:0;animation:none}
.left .panel{left:0}
.open .launcher{display:none}
.launcher{bottom:16px;right:16px}
.left .launcher{left:16px}
.launcher .lbl{display:none}
.launcher{padding:0 16px}
}
@media (prefers-reduced-motion:reduce){*,*::before,*::after{animation:none!important;transition:none!important;scroll-behavior:auto!important}}
@media (forced-colors:active){.msg,.panel,.launcher{border:1px solid CanvasText}}
@media print{.launcher,.panel{display:none!important}}
`;
