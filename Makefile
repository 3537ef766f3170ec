# The project's commands. `make` alone lists them. Every target runs ./build.sh, which
# finds a JDK 21+ and fetches the pinned jars by itself.
.DEFAULT_GOAL := help
SHELL := /bin/bash

.PHONY: help build test docs-check clean config run run-behind-nginx run-cluster run-system1 run-system2 senders \
	dashboard loadtest faults exercise check-exercise mutation

help: ## list the targets
	@echo "Real-Time Analytics Dashboard - make targets:"
	@awk 'BEGIN {FS = ":.*## "} /^[a-z0-9-]+:.*## / {printf "  make %-12s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

build: ## fetch the pinned jars (first time only) and compile src/
	@./build.sh build

test: ## run every test and render every Mermaid diagram of the docs (installs what the tests need first, when it is missing and you are root)
	@scripts/ensure-tools.sh test
	@scripts/check-mermaid.sh
	@./build.sh test

# The tests' tools too: the marked blocks run test classes (Redis, nginx, python3-websockets).
docs-check: ## run every command block the docs mark ```bash run (scripts/run-doc-blocks.sh), 10 min at most
	@scripts/ensure-tools.sh test
	@scripts/run-doc-blocks.sh

clean: ## delete build/ (keeps the downloaded jars in lib/)
	rm -rf build

config: ## print every setting with the value in effect (.env and environment)
	@./build.sh run analytics.config.ConfigMain

run: ## the whole demo: private Redis, both systems, fake senders, dashboard; Ctrl-C stops all
	@scripts/ensure-tools.sh redis
	@./build.sh run analytics.demo.DemoMain

run-behind-nginx: ## System 1 scaled out: 2 ingest processes, 2 worker processes, broadcaster behind nginx (:4000 HTTP/1.1, :4001 h2c, :4002 WebSocket), private Redis, dashboard, senders; Ctrl-C stops all
	@scripts/ensure-tools.sh redis nginx
	@./build.sh run analytics.demo.BehindNginxMain

run-cluster: ## the same shape on a local Redis Cluster (3 masters + 3 replicas on :7000-7005), the stream in 4 shards; Ctrl-C stops all
	@scripts/ensure-tools.sh redis nginx
	@scripts/run-cluster.sh

run-system1: ## System 1: ingest (HTTP/1.1 :4000, HTTP/2 :4001), workers, broadcaster in one JVM; ROLE=ingest|worker|broadcaster runs one part
	@case "$(ROLE)" in \
	    "")          ./build.sh run analytics.system1.System1Main ;; \
	    ingest)      ./build.sh run analytics.system1.ingest.System1IngestMain ;; \
	    worker)      ./build.sh run analytics.system1.worker.System1WorkersMain ;; \
	    broadcaster) ./build.sh run analytics.system1.broadcast.System1BroadcasterMain ;; \
	    *) echo "make run-system1: ROLE must be ingest, worker or broadcaster (or unset for all three)" >&2; exit 2 ;; \
	esac

run-system2: ## System 2 on SYSTEM2_WS_PORT (4100): WebSocket ingest, in-memory aggregation
	@./build.sh run analytics.system2.System2Main

senders: ## fake metric servers until Ctrl-C: MODE=http|h2|ws (default http), COUNT=N, FIRST=N, SEED=S
	@./build.sh run analytics.sender.SendersMain --mode $(or $(MODE),http) \
	    $(if $(COUNT),--count $(COUNT)) $(if $(FIRST),--first $(FIRST)) $(if $(SEED),--seed $(SEED))

dashboard: ## the dashboard page on DASHBOARD_PORT (8080); it connects to System 1 or 2
	@./build.sh run analytics.dashboard.DashboardMain

# It starts its own Redis, so a REDIS_URL (tests only) does not stand in for redis-server.
loadtest: ## HTTP/1.1 vs HTTP/2 vs WebSocket on a private Redis and both systems; CSV and comparison in results/; 5 rows (fanout is two) x 4 levels x (60+10) s = about 24 min (short: LOAD_TEST_LEVELS=100 LOAD_TEST_DURATION=5); ARGS="--help"
	@REDIS_URL= scripts/ensure-tools.sh redis
	@scripts/loadtest.sh $(ARGS)

faults: ## the fault campaign: kills Redis, workers, the broadcaster, System 2 and make run's parts under load, floods and overloads every port; checks nothing accepted is lost; about 6 min; ARGS="--help"
	@scripts/faults.sh $(ARGS)

# The build-your-own track (lessons/BUILD-YOUR-OWN.md). Exercises are cut from the real classes
# when asked, into build/exercises/ (git-ignored); src/ is never written.
exercise: ## build your own: a class with its method bodies taken out, in build/exercises/NAME/; NAME=frame-decoder|sliding-window|stream-batcher|histogram|hpack-reader (RESET=1 starts over)
	@./build.sh exercise start $(NAME) $(if $(RESET),--reset)

check-exercise: ## grade your build/exercises/NAME/ class with its own tests, stage by stage; a hint for the first stage that fails
	@./build.sh exercise check $(NAME)

mutation: ## break it and predict: apply exercise N of lesson LESSON's mutation to a copy in build/mutations/, run the tests its answer names, say whether the prediction held (make mutation LESSON=08 N=1; LIST=1 lists them)
	@if [ -n "$(LIST)" ]; then scripts/mutate.sh --list; \
	else [ -n "$(LESSON)" ] && [ -n "$(N)" ] || { echo "make mutation: give LESSON=NN and N=exercise (e.g. LESSON=08 N=1), or LIST=1" >&2; exit 2; }; \
	    scripts/mutate.sh "$(LESSON)-$(N)"; fi

# Anything else: say so, list the targets, fail. (Makefile itself is never "remade".)
Makefile: ;
%:
	@echo "make: there is no target '$@'; the targets are:" >&2
	@$(MAKE) --no-print-directory help >&2
	@exit 2
