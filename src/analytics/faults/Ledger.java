package analytics.faults;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What each metric the campaign sent was told: accepted (202), refused (503), something
 * else, or nothing at all. Every metric carries a serverId of its own (rk-h1-17), so after
 * recovery its count in the aggregates says, metric by metric, whether an accepted one was
 * counted once, lost, or counted twice.
 *
 * Pattern: a client-side ledger - the only honest witness of "accepted" is the client that
 *          was told so; the server cannot testify for itself.
 * Lesson:  lessons/20-faults-and-floods.md
 * Threads: record() from many load threads; read once the load has stopped.
 */
final class Ledger {

    enum Answer { ACCEPTED, REFUSED, OTHER_STATUS, NO_ANSWER }

    private final Map<String, Answer> answers = new ConcurrentHashMap<>();
    /** When each answer came, on the System.nanoTime() clock: which were told 202 just before a kill. */
    private final Map<String, Long> answeredAt = new ConcurrentHashMap<>();
    /** The first surprise of each kind, for the report: "status 500: {...}". */
    private final Map<Answer, String> firstDetail = new ConcurrentHashMap<>();

    void record(String serverId, Answer answer, String detail) {
        answeredAt.put(serverId, System.nanoTime());
        answers.put(serverId, answer);
        if (answer == Answer.OTHER_STATUS || answer == Answer.NO_ANSWER) {
            firstDetail.putIfAbsent(answer, detail);
        }
    }

    Map<Answer, Integer> counts() {
        Map<Answer, Integer> counts = new EnumMap<>(Answer.class);
        for (Answer answer : Answer.values()) {
            counts.put(answer, 0);
        }
        answers.values().forEach(answer -> counts.merge(answer, 1, Integer::sum));
        return counts;
    }

    List<String> withAnswer(Answer answer) {
        return answers.entrySet().stream()
                .filter(entry -> entry.getValue() == answer)
                .map(Map.Entry::getKey)
                .sorted()
                .toList();
    }

    long answeredAt(String serverId) {
        return answeredAt.getOrDefault(serverId, 0L);
    }

    String firstDetail(Answer answer) {
        return firstDetail.getOrDefault(answer, "");
    }

    int size() {
        return answers.size();
    }
}
