# The two commands a new machine needs: `make demo` and `make test`. Everything else they build on demand.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
SBT := dev/sbt
VERSION := $(shell cat VERSION)
SCALA_BINARY := 2.13
JAR_NAME := sparkmerge_$(SCALA_BINARY)-$(VERSION).jar
JAR := jvm/target/scala-$(SCALA_BINARY)/$(JAR_NAME)
PACKAGED_JAR := python/sparkmerge/jars/$(JAR_NAME)
SCALA_SOURCES := $(shell find jvm/src/main -name '*.scala') build.sbt VERSION project/build.properties
# The test classpath (engine, Spark, Hadoop's MiniDFSCluster) that dev/mini-hdfs runs its HDFS with.
TEST_CLASSPATH := jvm/target/test-classpath.txt
TEST_SOURCES := $(shell find jvm/src/test -name '*.scala')

# pip's downloads are kept in the checkout so that a rerun (and CI on the same machine) reuses them.
export PIP_CACHE_DIR := $(CURDIR)/.cache/pip
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: build demo test test-jvm test-python lint format clean mini-hdfs mini-hdfs-stop bench

build: $(PACKAGED_JAR) $(VENV)/.installed

$(JAR): $(SCALA_SOURCES)
	$(SBT) package </dev/null
	@touch $@

$(PACKAGED_JAR): $(JAR)
	rm -f python/sparkmerge/jars/*.jar
	cp $(JAR) $@

$(VENV)/.installed: pyproject.toml requirements-dev.txt
	test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -q --upgrade pip
	$(VENV)/bin/pip install -q -r requirements-dev.txt
	$(VENV)/bin/pip install -q --no-deps -e .
	touch $@

$(TEST_CLASSPATH): $(SCALA_SOURCES) $(TEST_SOURCES)
	@mkdir -p $(@D)
	$(SBT) "export sparkmerge/Test/fullClasspath" </dev/null >$@.log || { tail -n 30 $@.log; exit 1; }
	tail -n 1 $@.log | grep test-classes >$@.tmp
	mv $@.tmp $@

# A real HDFS on 127.0.0.1 in the background (state under .cache/mini-hdfs/); prints its URI last.
mini-hdfs: $(TEST_CLASSPATH)
	@dev/mini-hdfs start

mini-hdfs-stop:
	@dev/mini-hdfs stop

# `make demo HDFS=1` writes to a mini HDFS, started for it and stopped after: the merge is an HDFS concat.
demo: build $(if $(filter 1,$(HDFS)),$(TEST_CLASSPATH))
ifeq ($(HDFS),1)
	uri=$$(dev/mini-hdfs start) && trap 'dev/mini-hdfs stop' EXIT && \
	  HADOOP_CONF_DIR=$(CURDIR)/.cache/mini-hdfs/conf \
	  $(VENV)/bin/python demo/recommendations.py --out "$$uri/demo/recommendations.csv" $(DEMO_ARGS)
else
	$(VENV)/bin/python demo/recommendations.py $(DEMO_ARGS)
endif

test: test-jvm test-python

test-jvm:
	$(SBT) test </dev/null

test-python: build $(TEST_CLASSPATH)
	$(VENV)/bin/python -m pytest tests

# The README's figures: sparkmerge against coalesce(1), repartition(1) and cat, in one run (BENCH_ARGS to size it).
bench: build $(TEST_CLASSPATH)
	$(VENV)/bin/pip install -q -r bench/requirements.txt
	$(VENV)/bin/python bench/run.py $(BENCH_ARGS)

# scalafmt and ruff: CI fails on their check, `make format` fixes what they find.
lint: $(VENV)/.installed
	$(SBT) scalafmtCheckAll scalafmtSbtCheck </dev/null
	$(VENV)/bin/ruff check python tests demo
	$(VENV)/bin/ruff format --check python tests demo

format: $(VENV)/.installed
	$(SBT) scalafmtAll scalafmtSbt </dev/null
	$(VENV)/bin/ruff check --fix python tests demo
	$(VENV)/bin/ruff format python tests demo

clean:
	rm -rf jvm/target project/target $(VENV) python/sparkmerge/jars/*.jar out
