package dev.berth.platform.apps.ui;

import com.vaadin.flow.component.AttachEvent;
import com.vaadin.flow.component.DetachEvent;
import com.vaadin.flow.component.html.Div;
import java.time.Instant;
import java.util.stream.Collectors;

/**
 * One uPlot chart (MIT, <a href="https://github.com/leeoniya/uPlot">uPlot</a>) in a div. The script
 * and its styles come from the uPlot webjar under {@code /webjars/} and are loaded by the page when
 * the first chart is attached, not bundled: the production bundle is built ahead. The chart is made
 * once; later data replaces its points ({@link #show}) or adds the newest ({@link #append}) without
 * making it again. Colours are read from the Lumo theme when the chart is made, and times read in
 * UTC like the rest of the dashboard.
 */
class MetricsChart extends Div {
    static final String UPLOT = "context://webjars/uplot/1.6.30/dist/";
    private static final int HEIGHT = 180;

    /**
     * Waits for uPlot (the page loads it alongside), then makes the chart in {@code this}; stored as
     * {@code this.__ready}, a promise of the chart, which every later call waits for too.
     */
    private static final String CREATE = """
            const el = this, spec = JSON.parse($0), data = JSON.parse($1);
            const loaded = () => new Promise((resolve, reject) => {
              let tries = 0;
              const check = () => window.uPlot ? resolve(window.uPlot)
                  : ++tries > 400 ? reject(new Error('uPlot did not load')) : setTimeout(check, 25);
              check();
            });
            const binary = (v, suffix) => {
              const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
              let i = 0;
              while (Math.abs(v) >= 1024 && i < units.length - 1) { v /= 1024; i++; }
              return (i === 0 ? Math.round(v) : v.toFixed(Math.abs(v) < 10 ? 1 : 0)) + ' ' + units[i] + suffix;
            };
            const format = v => v == null ? '–'
                : spec.unit === 'BYTES' ? binary(v, '')
                : spec.unit === 'BYTES_PER_SECOND' ? binary(v, '/s')
                : spec.unit === 'COUNT' ? String(Math.round(v))
                : spec.unit === 'PER_SECOND' ? v.toFixed(2) + '/s'
                : Number(v.toPrecision(3)).toString();
            // Made once per element; should it be made again, the old chart goes first.
            if (el.__uplot) { el.__uplot.destroy(); el.__resize.disconnect(); el.__uplot = null; }
            el.__ready = loaded().then(uPlot => {
              // Lumo's colours are light-dark() pairs a canvas cannot take: a probe resolves them to
              // the colour the page uses now.
              const probe = el.appendChild(document.createElement('span'));
              const lumo = (name, fallback) => {
                probe.style.color = 'var(' + name + ', ' + fallback + ')';
                return getComputedStyle(probe).color || fallback;
              };
              const text = lumo('--lumo-secondary-text-color', '#666');
              const grid = lumo('--lumo-contrast-10pct', 'rgba(128,128,128,0.2)');
              const colors = [lumo('--lumo-primary-color', '#1676f3'), lumo('--lumo-error-color', '#e5484d'),
                              lumo('--lumo-success-color', '#2e9e4f')];
              probe.remove();
              const faint = c => /^rgba?\\(/.test(c) ? c.replace(/^rgba?\\(([^,]+),([^,]+),([^,)]+).*$/, 'rgba($1,$2,$3,0.12)') : undefined;
              const axis = {stroke: text, grid: {stroke: grid, width: 1}, ticks: {stroke: grid, width: 1}};
              // Times in UTC as the rest of the dashboard shows them: seconds within minutes, the date past a day.
              const times = (u, ticks) => ticks.map(t => {
                const iso = new Date(t * 1000).toISOString(), span = u.scales.x.max - u.scales.x.min;
                return span > 86400 ? iso.slice(5, 16).replace('T', ' ') : span > 600 ? iso.slice(11, 16) : iso.slice(11, 19);
              });
              // Whole counts, and bytes in powers of two, rather than uPlot's decimal steps.
              const steps = spec.unit === 'COUNT' ? [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 10000]
                  : spec.unit.startsWith('BYTES') ? [0, 1, 2, 3, 4].flatMap(k => [1, 2, 4, 8, 16, 32, 64, 128, 256, 512]
                      .map(m => m * Math.pow(1024, k))) : undefined;
              const series = [{}].concat(spec.labels.map((label, i) => ({
                label, stroke: colors[i % colors.length], width: 2, spanGaps: true,
                fill: spec.dashed[i] ? undefined : faint(colors[i % colors.length]),
                dash: spec.dashed[i] ? [6, 4] : undefined})));
              const u = new uPlot({
                width: el.clientWidth || 600, height: spec.height, padding: [12, 28, 0, 0],
                scales: {y: {range: (u, min, max) => [0, max > 0 ? max * 1.1 : 1]}},
                // The legend names the lines; the newest values are written above the chart.
                legend: {live: false},
                series,
                axes: [Object.assign({}, axis, {values: times}),
                       Object.assign({}, axis, {size: 80, incrs: steps, values: (u, ticks) => ticks.map(format)})],
              }, data, el);
              el.__resize = new ResizeObserver(() => {
                if (el.clientWidth > 0 && el.clientWidth !== u.width) u.setSize({width: el.clientWidth, height: spec.height});
              });
              el.__resize.observe(el);
              el.__uplot = u;
              return u;
            });
            el.__ready.catch(e => console.error(e));
            """;

    /** Replaces the tail from the first new time on, then drops the points before the window's start. */
    private static final String APPEND = """
            const el = this, tail = JSON.parse($0), keepFrom = $1;
            el.__ready.then(u => {
              const first = tail[0].length ? tail[0][0] : Infinity;
              let cut = u.data[0].findIndex(t => t >= first);
              if (cut < 0) cut = u.data[0].length;
              const joined = u.data.map((values, i) => Array.from(values).slice(0, cut).concat(tail[i]));
              let start = joined[0].findIndex(t => t >= keepFrom);
              if (start < 0) start = joined[0].length;
              u.setData(joined.map(values => values.slice(start)));
            });
            """;

    private final MetricChart chart;
    private boolean made;

    MetricsChart(MetricChart chart) {
        this.chart = chart;
        setId("metrics-chart-" + chart.id());
        setWidthFull();
        getStyle().set("min-height", HEIGHT + "px");
    }

    @Override
    protected void onAttach(AttachEvent attachEvent) {
        super.onAttach(attachEvent);
        // Sent once per page: the page keeps what it loaded.
        attachEvent.getUI().getPage().addStyleSheet(UPLOT + "uPlot.min.css");
        attachEvent.getUI().getPage().addJavaScript(UPLOT + "uPlot.iife.min.js");
    }

    @Override
    protected void onDetach(DetachEvent detachEvent) {
        super.onDetach(detachEvent);
        // Attached again, the element is new on the client: the chart is made again from the next data.
        made = false;
    }

    /** Shows {@code data} in place of what the chart showed, making the chart the first time. */
    void show(ChartData data) {
        if (!made) {
            getElement().executeJs(CREATE, spec(), data.json());
            made = true;
        } else {
            long keepFrom = data.times().isEmpty() ? Long.MAX_VALUE : data.times().getFirst();
            getElement().executeJs(APPEND, data.json(), (double) keepFrom);
        }
    }

    /**
     * Puts {@code tail} in place of the points from its first time on, and drops those before
     * {@code keepFrom}: the window moved on.
     */
    void append(ChartData tail, Instant keepFrom) {
        if (!made) throw new IllegalStateException("the chart is appended to before it was shown");
        getElement().executeJs(APPEND, tail.json(), (double) keepFrom.getEpochSecond());
    }

    private String spec() {
        String labels = chart.labels().stream().map(l -> "\"" + l + "\"").collect(Collectors.joining(","));
        // The memory limit is a ceiling, not a measure: dashed.
        String dashed = chart.labels().stream().map(l -> l.equals("limit") ? "true" : "false").collect(Collectors.joining(","));
        return "{\"unit\":\"" + chart.unit().name() + "\",\"height\":" + HEIGHT + ",\"labels\":[" + labels
                + "],\"dashed\":[" + dashed + "]}";
    }
}
