package analytics.faults;

/**
 * One fault and what must hold after it: the rig is fresh for each scenario, so none
 * inherits another's damage.
 *
 * Pattern: a small interface for pluggable test cases, chosen by name on the command line.
 * Lesson:  lessons/20-faults-and-floods.md
 */
interface Scenario {

    /** The name on the command line: redis-kill, worker-kills, ... */
    String name();

    /** One line for --help and the report. */
    String description();

    void run(Rig rig, Pace pace, Findings findings) throws Exception;
}
