package org.teledeploy.admin.dashboard;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * The frame of every page: HTML5 head, the one inline stylesheet (no external CSS, fonts or scripts: the admin's
 * browser may have no internet), the top bar with the navigation and the logout button, and the Content Security
 * Policy that allows exactly that stylesheet and nothing else.
 */
final class Layout {

    /** Which top-bar entry is the current one. */
    enum Section { PACKAGES, NETWORK, NONE }

    static final String STYLE = """
            *{box-sizing:border-box}
            html{-webkit-text-size-adjust:100%}
            body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue","DejaVu Sans",Arial,\
            sans-serif;color:#1f2937;background:#f3f4f6}
            a{color:#1d4ed8;text-decoration:none}
            a:hover{text-decoration:underline}
            .top{background:#111827;color:#f9fafb;display:flex;align-items:center;gap:28px;padding:0 28px;height:54px}
            .brand{font-weight:700;font-size:18px;color:#fff;letter-spacing:.2px}
            .brand span{color:#9ca3af;font-weight:400;margin-left:6px}
            .top nav{display:flex;gap:6px}
            .top nav a{color:#d1d5db;padding:6px 12px;border-radius:6px}
            .top nav a:hover{background:#1f2937;color:#fff;text-decoration:none}
            .top nav a.on{background:#374151;color:#fff}
            .top form{margin:0 0 0 auto}
            .top button{font:inherit;font-size:14px;color:#e5e7eb;background:transparent;border:1px solid #4b5563;\
            border-radius:6px;padding:4px 12px;cursor:pointer}
            .top button:hover{background:#374151;color:#fff}
            main{max-width:1260px;margin:0 auto;padding:18px 24px 48px}
            h1{font-size:24px;line-height:1.25;margin:6px 0 4px;overflow-wrap:anywhere}
            h1 .id{color:#6b7280;font-weight:400;font-size:18px;margin-left:4px}
            h2{font-size:18px;margin:28px 0 10px}
            h3{font-size:16px;margin:0;overflow-wrap:anywhere}
            .crumbs{color:#6b7280;font-size:14px;margin:0 0 2px}
            .crumbs a{color:#4b5563}
            .sub{color:#4b5563;margin:0 0 16px}
            .muted{color:#6b7280}
            .small{font-size:13px}
            .mono{font-family:"DejaVu Sans Mono",ui-monospace,Menlo,Consolas,monospace;font-size:13.5px}
            .card{background:#fff;border:1px solid #e5e7eb;border-radius:10px;padding:16px 20px}
            .card h2{margin:0 0 12px}
            h1 + .card{margin-top:14px}
            section.details{margin-top:0}
            .grid2{display:grid;grid-template-columns:minmax(0,6fr) minmax(0,5fr);gap:20px;align-items:start;margin:0 0 20px}
            table{width:100%;border-collapse:separate;border-spacing:0;background:#fff;border:1px solid #e5e7eb;\
            border-radius:10px;overflow:hidden}
            th,td{padding:8px 10px;text-align:left;border-bottom:1px solid #eef0f3;vertical-align:middle}
            tbody tr:last-child td{border-bottom:0}
            th{background:#f9fafb;font-size:13px;color:#4b5563;font-weight:600;white-space:nowrap}
            tbody tr:hover{background:#f9fafb}
            .n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
            .nw{white-space:nowrap}
            .wrap{overflow-wrap:break-word}
            td.pkg-cell{min-width:200px}
td.pkg-cell .name{font-weight:600}
            td.zero{color:#c0c5cc}
            table.plain{border:0;border-radius:0;background:transparent}
            table.plain th{background:transparent}
            table.plain th,table.plain td{padding:5px 8px}
            .sw{display:inline-block;width:12px;height:12px;border-radius:3px;vertical-align:-1px;margin-right:7px;\
            flex:none}
            th .sw{width:10px;height:10px;margin-right:5px;vertical-align:0}
            .legend{display:flex;flex-wrap:wrap;gap:6px 20px;list-style:none;padding:0;margin:6px 0 14px;font-size:14px;\
            color:#374151}
            .legend li{display:flex;align-items:center}
            .state{white-space:nowrap}
            svg.bar{display:block;border-radius:3px}
            svg a:hover rect,svg a:hover circle{opacity:.8}
            .donut-total{font-size:34px;font-weight:700;fill:#111827}
            .donut-unit{font-size:13px;fill:#6b7280}
            .chart{display:flex;gap:24px;align-items:center;flex-wrap:wrap}
            .chart table{flex:1;min-width:260px}
            dl.kv{display:grid;grid-template-columns:max-content minmax(0,1fr);gap:7px 18px;margin:0}
            dl.kv.cols{grid-template-columns:max-content minmax(0,1fr) max-content minmax(0,1fr)}
            dl.kv dt{color:#6b7280}
            dl.kv dd{margin:0;overflow-wrap:anywhere}
            .tabs{display:flex;flex-wrap:wrap;gap:8px;margin:0 0 14px}
            .tabs a{display:inline-flex;align-items:center;padding:5px 12px;border:1px solid #d1d5db;border-radius:999px;\
            background:#fff;color:#374151}
            .tabs a.on{border-color:#111827;background:#111827;color:#fff}
            .tabs a:hover{text-decoration:none;border-color:#6b7280}
            .note{background:#fffbeb;border:1px solid #fcd34d;border-radius:8px;padding:8px 12px;margin:12px 0}
            .bad{color:#b91c1c;font-weight:600}
            .empty{background:#fff;border:1px dashed #d1d5db;border-radius:10px;padding:22px;color:#4b5563}
            .pkg{margin:0 0 16px}
            .pkg-head{display:flex;flex-wrap:wrap;align-items:baseline;gap:8px 16px;margin:0 0 10px}
            ol.tl{list-style:none;margin:0;padding:0 0 0 4px}
            ol.tl li{display:grid;grid-template-columns:190px 14px minmax(0,1fr);gap:10px;align-items:baseline;\
            padding:3px 0}
            ol.tl .dot{width:10px;height:10px;border-radius:50%;background:#9ca3af;display:inline-block}
            ol.tl .dot.notified{background:#2563eb}
            ol.tl .dot.download{background:#0891b2}
            ol.tl .dot.success{background:#16a34a}
            ol.tl .dot.error{background:#dc2626}
            ol.tl .dot.other{background:#a855f7}
            ol.tl .ev{font-weight:600}
            .login{max-width:440px;margin:70px auto;background:#fff;border:1px solid #e5e7eb;border-radius:12px;\
            padding:28px 32px}
            .login h1{margin:0 0 6px}
            .login label{display:block;font-weight:600;margin:18px 0 6px}
            .login input{width:100%;font:inherit;font-family:"DejaVu Sans Mono",ui-monospace,monospace;padding:9px 11px;\
            border:1px solid #9ca3af;border-radius:7px}
            .login input:focus{outline:2px solid #2563eb;outline-offset:1px}
            .login button{margin-top:18px;width:100%;font:inherit;font-weight:600;color:#fff;background:#1d4ed8;\
            border:0;border-radius:7px;padding:10px;cursor:pointer}
            .login button:hover{background:#1e40af}
            .alert{border-radius:8px;padding:9px 12px;margin:14px 0 0}
            .alert.error{background:#fef2f2;border:1px solid #fca5a5;color:#991b1b}
            .alert.info{background:#eff6ff;border:1px solid #bfdbfe;color:#1e3a8a}
            footer{color:#9ca3af;font-size:12px;margin-top:36px}
            """ + Palette.swatchRules();

    /** The Content-Security-Policy of every page: this stylesheet, same-origin links and forms, nothing else. */
    static final String CSP = "default-src 'none'; style-src '" + hash(STYLE) + "'; img-src 'self' data:; "
            + "form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    private Layout() {}

    /** Opens a page: head, top bar, {@code <main>}. */
    static Html open(String title, Section section) {
        Html h = head(title);
        h.raw("<header class=\"top\"><a class=\"brand\" href=\"" + Urls.HOME + "\">teledeploy<span>dashboard</span></a>"
                + "<nav>");
        navLink(h, Urls.HOME, "Packages", section == Section.PACKAGES);
        navLink(h, Urls.NETWORK, "Network", section == Section.NETWORK);
        h.raw("</nav><form method=\"post\" action=\"" + Urls.LOGOUT + "\"><button type=\"submit\">Log out</button>"
                + "</form></header><main>");
        return h;
    }

    /** A page without the navigation (login, errors before login). */
    static Html bare(String title) {
        Html h = head(title);
        return h.raw("<header class=\"top\"><span class=\"brand\">teledeploy<span>dashboard</span></span></header>"
                + "<main>");
    }

    /** Closes what {@link #open} or {@link #bare} opened. */
    static String close(Html h, String footer) {
        if (!footer.isEmpty()) {
            h.raw("<footer>").text(footer).raw("</footer>");
        }
        return h.raw("</main></body></html>\n").toString();
    }

    private static Html head(String title) {
        return new Html().raw("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                        + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                        + "<meta name=\"referrer\" content=\"same-origin\"><title>")
                .text(title).raw(" · teledeploy</title><style>" + STYLE + "</style></head><body>");
    }

    private static void navLink(Html h, String href, String label, boolean current) {
        h.raw("<a href=\"" + href + "\"" + (current ? " class=\"on\" aria-current=\"page\"" : "") + ">" + label + "</a>");
    }

    private static String hash(String style) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(style.getBytes(StandardCharsets.UTF_8));
            return "sha256-" + Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing", e);
        }
    }
}
