package io.kvmtune.core.probe;

import java.util.Locale;

/**
 * Draws a latency histogram as a self-contained SVG a person can open in a browser: the same
 * data twice, on a linear count axis (where the bulk is) and a logarithmic one (where the rare
 * late wake-ups that matter for realtime are visible at all).
 */
public final class SvgHistogram {

    private static final int WIDTH = 900;
    private static final int PANEL_HEIGHT = 260;
    private static final int LEFT = 70;
    private static final int RIGHT = 20;
    private static final int TOP = 40;
    private static final int GAP = 70;

    private SvgHistogram() {
    }

    public static String render(LatencyHistogram h, String title) {
        int lastBucket = 0;
        for (int i = 0; i < h.maxMicros(); i++) {
            if (h.bucket(i) > 0) {
                lastBucket = i;
            }
        }
        int bars = lastBucket + 1 + (h.overflows() > 0 ? 1 : 0);
        long peak = Math.max(1, h.overflows());
        for (int i = 0; i <= lastBucket; i++) {
            peak = Math.max(peak, h.bucket(i));
        }
        int height = TOP + 2 * PANEL_HEIGHT + GAP + 40;
        StringBuilder svg = new StringBuilder(16_384);
        svg.append(String.format(Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" font-family=\"sans-serif\" font-size=\"12\">%n",
                WIDTH, height));
        svg.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", WIDTH, height));
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"22\" font-size=\"15\">%s</text>%n", LEFT, escape(title)));
        panel(svg, h, lastBucket, bars, peak, TOP, false);
        panel(svg, h, lastBucket, bars, peak, TOP + PANEL_HEIGHT + GAP, true);
        svg.append("</svg>\n");
        return svg.toString();
    }

    private static void panel(StringBuilder svg, LatencyHistogram h, int lastBucket, int bars, long peak, int top,
            boolean log) {
        int plotW = WIDTH - LEFT - RIGHT;
        int plotH = PANEL_HEIGHT - 30;
        int bottom = top + plotH;
        double barW = (double) plotW / bars;
        double logPeak = Math.log10(peak + 1.0);
        svg.append(String.format(Locale.ROOT,
                "<text x=\"%d\" y=\"%d\">%s</text>%n", LEFT, top - 8,
                log ? "samples per 1 µs bucket (log scale)" : "samples per 1 µs bucket (linear scale)"));
        for (int i = 0; i < bars; i++) {
            boolean overflow = i > lastBucket;
            long n = overflow ? h.overflows() : h.bucket(i);
            if (n == 0) {
                continue;
            }
            double frac = log ? Math.log10(n + 1.0) / logPeak : (double) n / peak;
            double barH = Math.max(1, frac * plotH);
            svg.append(String.format(Locale.ROOT,
                    "<rect x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\" fill=\"%s\"><title>%s: %d</title></rect>%n",
                    LEFT + i * barW, bottom - barH, Math.max(0.5, barW - 0.5), barH,
                    overflow ? "#c0392b" : "#2c7fb8",
                    overflow ? "≥ " + h.maxMicros() + " µs" : i + " µs", n));
        }
        svg.append(String.format(Locale.ROOT,
                "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\"/>%n", LEFT, bottom, LEFT + plotW, bottom));
        svg.append(String.format(Locale.ROOT,
                "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\"/>%n", LEFT, top, LEFT, bottom));
        int ticks = Math.min(10, bars);
        for (int t = 0; t <= ticks; t++) {
            int bucket = (int) Math.round((double) t * (bars - 1) / Math.max(1, ticks));
            double x = LEFT + (bucket + 0.5) * barW;
            String label = bucket > lastBucket ? "overflow" : bucket + " µs";
            svg.append(String.format(Locale.ROOT,
                    "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>%n", x, bottom + 16, label));
        }
        svg.append(String.format(Locale.ROOT,
                "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%d</text>%n", LEFT - 6, top + 10, peak));
        svg.append(String.format(Locale.ROOT,
                "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">0</text>%n", LEFT - 6, bottom));
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
