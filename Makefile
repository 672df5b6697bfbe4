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

# pip's downloads are kept in the checkout so that a rerun (and CI on the same machine) reuses them.
export PIP_CACHE_DIR := $(CURDIR)/.cache/pip
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: build demo test test-jvm test-python lint format clean

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

demo: build
	$(VENV)/bin/python demo/recommendations.py $(DEMO_ARGS)

test: test-jvm test-python

test-jvm:
	$(SBT) test </dev/null

test-python: build
	$(VENV)/bin/python -m pytest tests

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
