package dev.loginpulse.bench;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

import javax.imageio.ImageIO;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler;

/** {@code benchmarks.png}: throughput beside the broker's ceiling, and latency percentiles per rate. */
final class Plot {

    private static final int WIDTH = 640;
    private static final int HEIGHT = 480;

    private Plot() {
    }

    /** Writes the PNG; false if there was nothing to plot. */
    static boolean write(Results results, Path png) {
        System.setProperty("java.awt.headless", "true");
        List<CategoryChart> charts = new ArrayList<>();
        CategoryChart throughput = throughput(results);
        if (throughput != null) {
            charts.add(throughput);
        }
        if (!results.latency.isEmpty()) {
            charts.add(latency(results, "Produce → stats record", Results.LatencyResult::stats));
            charts.add(latency(results, "Produce → dashboard WebSocket frame", Results.LatencyResult::websocket));
        }
        if (charts.isEmpty()) {
            return false;
        }
        BufferedImage image = new BufferedImage(WIDTH * charts.size(), HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, image.getWidth(), image.getHeight());
        for (int i = 0; i < charts.size(); i++) {
            g.drawImage(BitmapEncoder.getBufferedImage(charts.get(i)), i * WIDTH, 0, null);
        }
        g.dispose();
        try {
            ImageIO.write(image, "png", png.toFile());
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static CategoryChart throughput(Results results) {
        List<String> names = new ArrayList<>();
        List<Double> values = new ArrayList<>();
        if (results.ceiling != null) {
            names.add("broker produce");
            values.add(results.ceiling.producerRecordsPerSec());
            names.add("broker consume");
            values.add(results.ceiling.consumerFetchRecordsPerSec());
        }
        for (Results.ThroughputResult t : results.throughput) {
            names.add(t.engine() + " steady");
            values.add(t.steadyPerSec());
            names.add(t.engine() + " overall");
            values.add(t.overallPerSec());
        }
        if (names.isEmpty()) {
            return null;
        }
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT)
                .title("Throughput, " + (results.preload != null ? Report.count(results.preload.n()) + " logins, "
                        : "") + results.environment.cores() + " cores")
                .xAxisTitle("").yAxisTitle("records or logins per second (log)").build();
        chart.getStyler().setYAxisLogarithmic(true);
        chart.getStyler().setLegendVisible(false);
        chart.getStyler().setXAxisLabelRotation(30);
        chart.getStyler().setYAxisMin(1_000.0);
        chart.addSeries("per second", names, values.stream().map(v -> Math.max(v, 1_000.0)).toList());
        return chart;
    }

    private static CategoryChart latency(Results results, String title,
            Function<Results.LatencyResult, Results.Percentiles> which) {
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT).title(title)
                .xAxisTitle("logins per second").yAxisTitle("ms (log)").build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        chart.getStyler().setYAxisLogarithmic(true);
        chart.getStyler().setYAxisMin(10.0);
        List<String> categories = results.latency.stream()
                .map(l -> Report.count(l.rate()) + (l.config().equals("default") ? "" : " (tuned)")).toList();
        addSeries(chart, "p50", categories, results, which, Results.Percentiles::p50);
        addSeries(chart, "p95", categories, results, which, Results.Percentiles::p95);
        addSeries(chart, "p99", categories, results, which, Results.Percentiles::p99);
        return chart;
    }

    private static void addSeries(CategoryChart chart, String name, List<String> categories, Results results,
            Function<Results.LatencyResult, Results.Percentiles> which,
            ToDoubleFunction<Results.Percentiles> percentile) {
        chart.addSeries(name, categories, results.latency.stream()
                .map(l -> Math.max(10.0, percentile.applyAsDouble(which.apply(l)))).toList());
    }
}
