import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';

/** What libxml2 said of one document. */
export interface SchemaVerdict {
  /** Whether the document is valid against the import schema. */
  valid: boolean;
  /** libxml2's messages, each with its line (`line 3: Element 'x': …`); empty when valid. */
  errors: string[];
}

/** The package that brings libxml2 as WebAssembly: an optional peer of `@sync/indomio`, used only here. */
export const VALIDATOR_PACKAGE = 'xmllint-wasm';

/** Documents validated in one libxml2 run at most (the schema is compiled once per run). */
const BATCH = 32;
const SCHEMA_FILE = 'import-schema.xsd';
/** WebAssembly pages of 64 KiB: 16 MiB to start, up to 1 GiB for large documents. */
const MEMORY = { initial: 256, maximum: 16 * 1024 };

/** This module's file, in the ES build and in the CommonJS one. */
function here(): string {
  return typeof __filename === 'string' ? __filename : fileURLToPath(import.meta.url);
}

/**
 * The worker that runs libxml2's `xmllint`: it compiles the WebAssembly module once and
 * instantiates it afresh for every run (a run ends the program it runs), so a run costs the
 * schema's compilation and the documents' validation, not a new thread and a new compile.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { readFileSync } = require('node:fs');
const factory = require(workerData.modulePath);
const compiled = new WebAssembly.Module(readFileSync(workerData.wasmPath));
const schema = { fileName: workerData.schemaName, contents: workerData.schema };
let queue = Promise.resolve();
parentPort.on('message', (job) => {
  if (!job || job.kind !== 'sync-validate') return;
  queue = queue.then(() => run(job));
});
async function run(job) {
  let stderr = '';
  let exitCode;
  try {
    await factory({
      inputFiles: [...job.files, schema],
      arguments: ['--schema', schema.fileName, '--noout', ...job.files.map((f) => f.fileName)],
      print() {},
      printErr(text) { stderr += text + '\\n'; },
      onExit(code) { exitCode = code; },
      onAbort(reason) { stderr += 'aborted: ' + reason + '\\n'; exitCode = -1; },
      instantiateWasm(imports, done) {
        const instance = new WebAssembly.Instance(compiled, imports);
        done(instance, compiled);
        return instance.exports;
      },
      wasmMemory: new WebAssembly.Memory(workerData.memory),
    });
  } catch (error) {
    // The program's exit arrives as a thrown status once onExit has run.
    if (exitCode === undefined) stderr += String(error && error.message || error) + '\\n';
  }
  parentPort.postMessage({ kind: 'sync-validated', id: job.id, exitCode: exitCode ?? -1, stderr });
}
`;

interface Job {
  bytes: Uint8Array;
  resolve: (verdict: SchemaVerdict) => void;
  reject: (error: Error) => void;
}

interface Loaded {
  modulePath: string;
  wasmPath: string;
  schema: string;
}

let located: Loaded | undefined;

/**
 * Checks that libxml2 ({@link VALIDATOR_PACKAGE}) can be loaded, without loading it: an
 * error naming the package to install when it is missing.
 */
export function assertValidatorInstalled(): void {
  located ??= locate();
}

/** Where libxml2 and the schema are, or why they are not. */
function locate(): Loaded {
  const require = createRequire(here());
  let modulePath: string;
  try {
    modulePath = require.resolve(`${VALIDATOR_PACKAGE}/xmllint-node.js`);
  } catch {
    throw new Error(
      `The Indomio mock validates documents against the portal's XSD with libxml2 from the optional peer dependency "${VALIDATOR_PACKAGE}": install it (npm install --save-dev ${VALIDATOR_PACKAGE})`,
    );
  }
  const schemaPath = require.resolve(`@sync/indomio/${SCHEMA_FILE}`);
  return { modulePath, wasmPath: join(dirname(modulePath), 'xmllint.wasm'), schema: readFileSync(schemaPath, 'utf8') };
}

/** Turns xmllint's output into one verdict per document. */
export function verdicts(stderr: string, names: readonly string[]): SchemaVerdict[] {
  const lines = stderr.split('\n');
  return names.map((name) => {
    const errors: string[] = [];
    let validates = false;
    for (const line of lines) {
      if (line === `${name} validates`) validates = true;
      if (!line.startsWith(`${name}:`)) continue;
      const match = /^[^:]+:(\d+): (?:element [^:]*: )?(?:Schemas validity error|parser error|namespace error|validity error) ?: (.*)$/.exec(
        line,
      );
      errors.push(match ? `line ${match[1]}: ${match[2]}` : line.slice(name.length + 1).trim());
    }
    if (!validates && errors.length === 0) errors.push('the schema validator gave no verdict for the document');
    return { valid: validates && errors.length === 0, errors };
  });
}

/**
 * Validates documents against the import schema the package ships, with libxml2 compiled to
 * WebAssembly (from {@link VALIDATOR_PACKAGE}, loaded on first use). Documents that arrive
 * while a run is going are validated together in the next one.
 */
export class SchemaValidator {
  #worker: Worker | undefined;
  #pending: Job[] = [];
  #inFlight = new Map<number, Job[]>();
  #nextId = 0;

  /** The verdict on one UTF-8 document. */
  validate(bytes: Uint8Array): Promise<SchemaVerdict> {
    return new Promise<SchemaVerdict>((resolve, reject) => {
      this.#pending.push({ bytes, resolve, reject });
      this.#pump();
    });
  }

  /** Stops the worker; the next validation starts a new one. */
  async close(): Promise<void> {
    const worker = this.#worker;
    this.#worker = undefined;
    await worker?.terminate();
  }

  #start(): Worker {
    if (this.#worker) return this.#worker;
    located ??= locate();
    const { modulePath, wasmPath, schema } = located;
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { modulePath, wasmPath, schema, schemaName: SCHEMA_FILE, memory: MEMORY },
    });
    worker.on('message', (message: { kind?: string; id: number; exitCode: number; stderr: string }) => {
      if (message?.kind !== 'sync-validated') return;
      const jobs = this.#inFlight.get(message.id) ?? [];
      this.#inFlight.delete(message.id);
      const names = jobs.map((_, i) => `doc-${i}.xml`);
      if (message.exitCode < 0) {
        for (const job of jobs) job.reject(new Error(`libxml2 stopped: ${message.stderr.trim()}`));
      } else {
        verdicts(message.stderr, names).forEach((verdict, i) => jobs[i]?.resolve(verdict));
      }
      this.#idle();
    });
    worker.on('error', (error) => {
      this.#worker = undefined;
      for (const jobs of this.#inFlight.values()) for (const job of jobs) job.reject(error);
      this.#inFlight.clear();
      this.#pump();
    });
    worker.unref();
    this.#worker = worker;
    return worker;
  }

  /** Sends what waits, one run at a time: later documents wait for the next run, together. */
  #pump(): void {
    if (this.#inFlight.size > 0 || this.#pending.length === 0) return;
    let worker: Worker;
    try {
      worker = this.#start();
    } catch (error) {
      for (const job of this.#pending.splice(0)) job.reject(error as Error);
      return;
    }
    const jobs = this.#pending.splice(0, BATCH);
    const id = this.#nextId++;
    this.#inFlight.set(id, jobs);
    // A run in progress keeps the process alive; an idle worker does not.
    worker.ref();
    worker.postMessage({
      kind: 'sync-validate',
      id,
      files: jobs.map((job, i) => ({ fileName: `doc-${i}.xml`, contents: job.bytes })),
    });
  }

  #idle(): void {
    if (this.#pending.length === 0) this.#worker?.unref();
    this.#pump();
  }
}
