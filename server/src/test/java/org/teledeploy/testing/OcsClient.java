package org.teledeploy.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * A raw-socket HTTP/1.1 client for tests: sends exactly the bytes given (so tests control line ends, headers and
 * encodings, as real agents do) and reads one response. Each call uses a new connection unless a socket is
 * passed. Timeouts are bounded (10 s).
 */
public final class OcsClient {

    private final String host;
    private final int port;

    public OcsClient(String host, int port) {
        this.host = host;
        this.port = port;
    }

    /** One HTTP response. */
    public record Response(int status, Map<String, String> headers, byte[] body) {
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        /** The body inflated as zlib (what agents expect), as text. */
        public String inflated() {
            return new String(inflate(body), StandardCharsets.UTF_8);
        }
    }

    /** POST /ocsinventory with a zlib body, the headers the Debian agent sends. */
    public Response post(String xml) throws IOException {
        return post("/ocsinventory", zlib(xml.getBytes(StandardCharsets.UTF_8)), "OCS-NG_unified_unix_agent_v2.10.0");
    }

    public Response post(String path, byte[] body, String userAgent) throws IOException {
        String head = "POST " + path + " HTTP/1.1\r\nTE: deflate,gzip;q=0.3\r\nConnection: TE\r\nPragma: no-cache\r\n"
                + "Host: " + host + ":" + port + "\r\nUser-Agent: " + userAgent + "\r\n"
                + "Content-Type: application/x-compress\r\nContent-Length: " + body.length + "\r\n\r\n";
        return exchange(concat(head.getBytes(StandardCharsets.US_ASCII), body));
    }

    /** Sends raw bytes on a new connection and reads one response. */
    public Response exchange(byte[] raw) throws IOException {
        try (Socket socket = open()) {
            socket.getOutputStream().write(raw);
            socket.getOutputStream().flush();
            return read(socket.getInputStream());
        }
    }

    public Socket open() throws IOException {
        Socket socket = new Socket(host, port);
        socket.setSoTimeout(10_000);
        return socket;
    }

    public static void send(Socket socket, byte[] raw) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(raw);
        out.flush();
    }

    /** Reads one response (Content-Length bodies only; enough for this server). */
    public static Response read(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed before the end of the response head: " + head);
            }
            head.write(b);
            matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3))
                    ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
            }
        }
        int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
        byte[] body = in.readNBytes(length);
        return new Response(status, headers, body);
    }

    public static byte[] zlib(byte[] data) {
        Deflater deflater = new Deflater();
        deflater.setInput(data);
        deflater.finish();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        while (!deflater.finished()) {
            out.write(buf, 0, deflater.deflate(buf));
        }
        deflater.end();
        return out.toByteArray();
    }

    public static byte[] inflate(byte[] data) {
        Inflater inflater = new Inflater();
        inflater.setInput(data);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        try {
            while (!inflater.finished()) {
                int n = inflater.inflate(buf);
                if (n == 0 && !inflater.finished() && inflater.needsInput()) {
                    throw new IllegalStateException("truncated zlib data");
                }
                out.write(buf, 0, n);
            }
        } catch (DataFormatException e) {
            throw new IllegalStateException("not zlib: " + e.getMessage(), e);
        } finally {
            inflater.end();
        }
        return out.toByteArray();
    }

    public static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    public static String prolog(String deviceId) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<REQUEST>\n  <DEVICEID>" + deviceId
                + "</DEVICEID>\n  <QUERY>PROLOG</QUERY>\n</REQUEST>\n";
    }

    /** A small inventory with the fields the registry keeps. */
    public static String inventory(String deviceId, String name, String osName, int software, String tag) {
        StringBuilder sb = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<REQUEST>\n  <CONTENT>\n");
        sb.append("    <HARDWARE><NAME>").append(name).append("</NAME><OSNAME>").append(osName)
                .append("</OSNAME><OSVERSION>12</OSVERSION><IPADDR>192.0.2.7</IPADDR><WORKGROUP>LAB</WORKGROUP>")
                .append("</HARDWARE>\n    <CPUS><CPUARCH>x86_64</CPUARCH></CPUS>\n");
        if (tag != null) {
            sb.append("    <ACCOUNTINFO><KEYNAME>TAG</KEYNAME><KEYVALUE>").append(tag).append("</KEYVALUE></ACCOUNTINFO>\n");
        }
        sb.append("    <NETWORKS><DESCRIPTION>eth0</DESCRIPTION><IPADDRESS>192.0.2.7</IPADDRESS>")
                .append("<IPSUBNET>192.0.2.0</IPSUBNET><MACADDR>02:00:00:00:00:07</MACADDR></NETWORKS>\n");
        for (int i = 0; i < software; i++) {
            sb.append("    <SOFTWARES><NAME>pkg").append(i).append("</NAME><VERSION>1.").append(i)
                    .append("</VERSION><PUBLISHER>Debian</PUBLISHER></SOFTWARES>\n");
        }
        sb.append("    <DOWNLOAD><HISTORY><PACKAGE ID=\"1709630000\"/></HISTORY></DOWNLOAD>\n");
        sb.append("  </CONTENT>\n  <DEVICEID>").append(deviceId).append("</DEVICEID>\n  <QUERY>INVENTORY</QUERY>\n</REQUEST>\n");
        return sb.toString();
    }

    public static String downloadReport(String deviceId, String packageId, String err) {
        return "<REQUEST DEVICEID=\"" + deviceId + "\" ERR=\"" + err + "\" ID=\"" + packageId + "\" QUERY=\"DOWNLOAD\" />\n";
    }
}
