package analytics.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import analytics.testing.Await;
import analytics.testing.HeadlessChromium;
import com.eclipsesource.json.Json;
import com.eclipsesource.json.JsonObject;
import com.eclipsesource.json.JsonValue;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The dashboard page as its browser tests see it: what a reader reads (the count of servers
 * reporting, the top table, a server's figures, the address) and does (hover and click a
 * heat map cell, type in the search box), each through the real browser. Only the heat
 * map's cell positions and the page's message counts are asked of the `dashboard` object
 * the page offers its console.
 *
 * Pattern: page object - the tests say what they check, this class says where it is.
 * Lesson:  lessons/15-the-dashboard-page.md
 * Not here: starting systems and producers (the tests), the browser itself (HeadlessChromium).
 * Threads: the test thread only.
 */
final class FleetPage {

    static final Duration DEADLINE = Duration.ofSeconds(20);
    private static final Path SCREENSHOTS = Path.of(System.getProperty("project.root", "."))
            .resolve("build/test-reports/screenshots");

    private final HeadlessChromium browser;

    FleetPage(HeadlessChromium browser) {
        this.browser = browser;
    }

    /** Loads the page and waits until it is connected to its system. */
    void open(String url) throws InterruptedException {
        browser.navigate(url);
        Await.until("the page is connected", DEADLINE,
                () -> text("document.getElementById('connection-status')?.dataset.state").equals("open"));
    }

    String status() {
        return text("document.getElementById('connection-status').dataset.state");
    }

    /** "N servers reporting", as the number the page shows. */
    int reportingCount() {
        return (int) number("Number(document.getElementById('reporting-count').dataset.count)");
    }

    void awaitReporting(int servers) throws InterruptedException {
        Await.until(servers + " servers reporting", DEADLINE, () -> reportingCount() == servers);
    }

    int heatMapCells() {
        return (int) number("Number(document.getElementById('heatmap').dataset.cells ?? 0)");
    }

    /** The server names of the top table, first row first. */
    List<String> topServers() {
        String names = text("[...document.querySelectorAll('#top-table tbody tr:not([hidden]) a')]"
                + ".map(a => a.textContent).join()");
        return names.isEmpty() ? List.of() : List.of(names.split(","));
    }

    /**
     * The chosen column of the top table as drawn, first row first, read in one look (so
     * never half of one redraw and half of the next): "42.5 %" is 42.5, "1,234" is 1234.
     */
    List<Double> topFigures(int gauge) {
        JsonValue figures = browser.evaluate("[...document.querySelectorAll('#top-table tbody tr:not([hidden])')]"
                + ".map(tr => Number(tr.cells[" + (gauge + 1) + "].textContent.replace(/[^0-9.]/g, '')))");
        return figures.asArray().values().stream().map(JsonValue::asDouble).toList();
    }

    /** The latest figure of a gauge of every server the page holds, in no order. */
    double[] latestOfEveryServer(int gauge) {
        JsonValue values = browser.evaluate("Array.from({length: dashboard.fleet.size},"
                + " (_, i) => dashboard.fleet.latest[i * 5 + " + gauge + "])");
        return values.asArray().values().stream().mapToDouble(JsonValue::asDouble).toArray();
    }

    /** How many servers numbered first .. first+count-1 (server-N) the page holds. */
    int serversNumbered(int first, int count) {
        return (int) number("dashboard.fleet.ids.filter(id => { const n = Number(id.slice(7));"
                + " return id.startsWith('server-') && n >= " + first + " && n < " + (first + count) + "; })"
                + ".length");
    }

    /** Servers the page holds, of whichever system it follows. */
    int serversHeld() {
        return (int) number("dashboard.fleet.size");
    }

    /** Switches to the other system with the radio button, as a reader does: "system1". */
    void chooseSystem(String system) {
        clickElement("input[name=\"system\"][value=\"" + system + "\"]");
    }

    /** Clicks a column's sort button (0 CPU, 1 memory, ...) as a reader would. */
    void sortTopTableBy(int gauge) {
        clickElement("#top-table button[data-gauge=\"" + gauge + "\"]");
    }

    /** Moves the mouse over a server's heat map cell; returns the tooltip's text. */
    String hoverCell(String serverId) throws InterruptedException {
        JsonObject centre = cellCentre(serverId);
        browser.mouseMove(centre.getDouble("x", 0), centre.getDouble("y", 0));
        Await.until("the tooltip shows", DEADLINE, () -> !bool("document.getElementById('tooltip').hidden"));
        return text("document.getElementById('tooltip').textContent");
    }

    void clickCell(String serverId) {
        JsonObject centre = cellCentre(serverId);
        browser.click(centre.getDouble("x", 0), centre.getDouble("y", 0));
    }

    private JsonObject cellCentre(String serverId) {
        browser.evaluate("window.scrollTo(0, 0)");
        browser.evaluate("document.getElementById('heatmap').scrollIntoView({block: 'center'})");
        JsonValue centre = browser.evaluate("dashboard.parts.heatmap.cellCentre(" + quoted(serverId) + ")");
        assertTrue(centre.isObject(), () -> serverId + " has no cell in the heat map");
        return centre.asObject();
    }

    /** Clicks into the emptied search box and types; returns the matches it lists. */
    List<String> search(String typed) {
        browser.evaluate("document.getElementById('server-search').value = ''");
        clickElement("#server-search");
        browser.type(typed);
        String matches = text("[...document.querySelectorAll('#server-matches li')]"
                + ".map(li => li.textContent).join()");
        return matches.isEmpty() ? List.of() : List.of(matches.split(","));
    }

    void pressEnter() {
        browser.pressEnter();
    }

    /** Waits until the server view shows this server. */
    void awaitServerView(String serverId) throws InterruptedException {
        Await.until("the server view of " + serverId, DEADLINE,
                () -> !bool("document.getElementById('server-view').hidden")
                        && text("document.getElementById('server-title').textContent").equals(serverId));
    }

    /** A figure of the server view: 0 CPU, 1 memory, ... as shown ("42.5 %"). */
    String serverFigure(int gauge) {
        return text("document.querySelector('#server-figures dd[data-gauge=\"" + gauge + "\"]').textContent");
    }

    void awaitServerFigure(int gauge, String shown) throws InterruptedException {
        Await.until("the server view shows " + shown, DEADLINE, () -> serverFigure(gauge).equals(shown));
    }

    void chooseWindow(String windowMs) {
        clickElement("#window-chooser input[value=\"" + windowMs + "\"]");
    }

    void backToFleet() throws InterruptedException {
        clickElement("#back-to-fleet");
        Await.until("the fleet view", DEADLINE, () -> !bool("document.getElementById('fleet-view').hidden"));
    }

    String hash() {
        return text("location.hash");
    }

    String address() {
        return text("location.href");
    }

    /** A live figure as shown: "messagesPerSecond", "updatesPerSecond", "p50", "p95". */
    String live(String figure) {
        return text("document.querySelector('#live dd[data-live=\"" + figure + "\"]').textContent");
    }

    /** A delay figure ("p50", "p95") in milliseconds; -1 while it shows none ("—"). */
    int delayMillis(String figure) {
        String shown = live(figure);
        return shown.matches("-?\\d+ ms") ? Integer.parseInt(shown.substring(0, shown.length() - 3)) : -1;
    }

    /** How many messages of a type the page received, by its own count. */
    int received(String type) {
        return (int) number("dashboard.received[" + quoted(type) + "] ?? 0");
    }

    /** The latest CPU the page holds for a server; -1 when it never heard of it. */
    double latestCpu(String serverId) {
        return number("(() => { const i = dashboard.fleet.indexOf.get(" + quoted(serverId) + ");"
                + " return i === undefined ? -1 : dashboard.fleet.latest[i * 5]; })()");
    }

    String stat(String name) {
        return text("document.querySelector('[data-stat=" + name + "]').textContent");
    }

    boolean emptyStateShown() {
        return !bool("document.getElementById('empty-state').hidden");
    }

    String emptyStateText() {
        return text("document.getElementById('empty-state').innerText");
    }

    void screenshot(String name) throws IOException {
        browser.screenshot(SCREENSHOTS.resolve(name + ".png"));
    }

    void assertNoErrors() {
        assertEquals(List.of(), browser.errors(), "the browser logged errors");
    }

    /** Clicks the centre of an element with a real mouse event. */
    private void clickElement(String selector) {
        JsonObject box = browser.evaluate("(() => { const e = document.querySelector(" + quoted(selector)
                + "); e.scrollIntoView({block: 'center'}); const r = e.getBoundingClientRect();"
                + " return {x: r.left + r.width / 2, y: r.top + r.height / 2}; })()").asObject();
        browser.click(box.getDouble("x", 0), box.getDouble("y", 0));
    }

    String text(String expression) {
        JsonValue value = browser.evaluate(expression);
        return value.isString() ? value.asString() : value.toString();
    }

    double number(String expression) {
        JsonValue value = browser.evaluate("(() => { try { return " + expression + "; } catch { return -1; } })()");
        return value.isNumber() ? value.asDouble() : -1;
    }

    private boolean bool(String expression) {
        return browser.evaluate(expression).equals(Json.value(true));
    }

    private static String quoted(String text) {
        return Json.value(text).toString();
    }
}
