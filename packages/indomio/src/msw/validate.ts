import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MessageChannel, type MessagePort, Worker } from 'node:worker_threads';

/** What libxml2 said of one document. */
export interface SchemaVerdict {
  /** Whether the document is valid against the import schema. */
  valid: boolean;
  /** libxml2's messages, each with its line (`line 3: Element 'x': …`); empty when valid. */
  errors: string[];
}

/** The package that brings libxml2 as WebAssembly: an optional peer of `@sync/indomio`, used only here. */
export const VALIDATOR_PACKAGE = 'xmllint-wasm';

const SCHEMA_FILE = 'import-schema.xsd';
/** Documents one libxml2 program validates before a fresh one takes over (bounds what a long run can leak). */
const PER_PROGRAM = 1000;
/** WebAssembly pages of 64 KiB: 16 MiB to start, up to 1 GiB for large documents. */
const MEMORY = { initial: 256, maximum: 16 * 1024 };

/** This module's file, in the ES build and in the CommonJS one. */
function here(): string {
  return typeof __filename === 'string' ? __filename : fileURLToPath(import.meta.url);
}

/**
 * The worker that runs libxml2's `xmllint --schema import-schema.xsd - - - …`: the schema is
 * compiled once per program, and each `-` reads the next document from the program's stdin,
 * which blocks (on a shared counter) until the main thread sends one. A document ends for
 * libxml2 when its bytes do; the program moves to the next `-` once it printed its verdict.
 * After a parse error libxml2 may stop reading mid-document, so the program is wound down
 * (empty documents to the end) and a fresh one starts.
 */
const WORKER_SOURCE = `
const { parentPort, workerData, receiveMessageOnPort } = require('node:worker_threads');
const { readFileSync } = require('node:fs');
const factory = require(workerData.modulePath);
const compiled = new WebAssembly.Module(readFileSync(workerData.wasmPath));
const schema = { fileName: workerData.schemaName, contents: workerData.schema };
const port = workerData.port;
const signal = new Int32Array(workerData.signal);
let current = null;
let served = 0;
let poisoned = false;

function nextJob() {
  for (;;) {
    const seen = Atomics.load(signal, 0);
    const received = receiveMessageOnPort(port);
    if (received) return received.message;
    Atomics.wait(signal, 0, seen, 1000);
  }
}
function finish(valid, extra) {
  if (!current || current.done) return;
  current.done = true;
  if (extra) current.errors.push(extra);
  parentPort.postMessage({ kind: 'verdict', id: current.id, valid, errors: current.errors });
}
function stdin() {
  if (poisoned) {
    finish(false);
    return null;
  }
  if (current === null || current.done) {
    if (served >= workerData.perProgram) return null;
    const job = nextJob();
    current = { id: job.id, bytes: job.bytes, pos: 0, errors: [], done: false };
    served++;
  }
  return current.pos < current.bytes.length ? current.bytes[current.pos++] : null;
}
function printErr(line) {
  if (poisoned || !current || current.done) return;
  if (line === '- validates') return finish(true);
  if (line === '- fails to validate' || line === '- validation generated an internal error') return finish(false);
  if (!line.startsWith('-:')) return;
  current.errors.push(line.slice(2));
  if (/^\\d+: (?:parser|I\\/O) error/.test(line.slice(2))) poisoned = true;
}
async function program() {
  current = null;
  served = 0;
  poisoned = false;
  let exitCode;
  try {
    await factory({
      inputFiles: [schema],
      arguments: ['--schema', schema.fileName, '--noout', ...new Array(workerData.perProgram).fill('-')],
      stdin,
      print() {},
      printErr,
      onExit(code) { exitCode = code; },
      onAbort(reason) { finish(false, 'libxml2 aborted: ' + reason); },
      instantiateWasm(imports, done) {
        const instance = new WebAssembly.Instance(compiled, imports);
        done(instance, compiled);
        return instance.exports;
      },
      wasmMemory: new WebAssembly.Memory(workerData.memory),
    });
  } catch {
    // The program's exit arrives as a thrown status.
  }
  finish(false, 'libxml2 stopped with status ' + exitCode);
  return served;
}
(async () => {
  // A program that validated nothing will not do better the next time: say so and stop.
  while ((await program()) > 0);
  parentPort.postMessage({ kind: 'broken' });
})();
`;

interface Job {
  resolve: (verdict: SchemaVerdict) => void;
  reject: (error: Error) => void;
}

interface Located {
  modulePath: string;
  wasmPath: string;
  schema: string;
}

let located: Located | undefined;

/**
 * Checks that libxml2 ({@link VALIDATOR_PACKAGE}) can be loaded, without loading it: an
 * error naming the package to install when it is missing.
 */
export function assertValidatorInstalled(): void {
  located ??= locate();
}

/** Where libxml2 and the schema are, or why they are not. */
function locate(): Located {
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

/** `12: Schemas validity error : Element 'x': …` → `line 12: Element 'x': …`. */
function message(raw: string): string {
  const match =
    /^(\d+): (?:element [^:]*: )?(?:Schemas validity error|parser error|namespace error|validity error) ?: (.*)$/.exec(
      raw,
    );
  return match ? `line ${match[1]}: ${match[2]}` : raw;
}

/**
 * Validates documents against the import schema the package ships, with libxml2 compiled to
 * WebAssembly (from {@link VALIDATOR_PACKAGE}, loaded on first use) in a worker thread that
 * keeps the compiled schema: after the first document, each one costs its own parsing and
 * validation only.
 */
export class SchemaValidator {
  #worker: Worker | undefined;
  #port: MessagePort | undefined;
  #signal: Int32Array | undefined;
  #jobs = new Map<number, Job>();
  #nextId = 0;

  /** The verdict on one UTF-8 document. */
  validate(bytes: Uint8Array): Promise<SchemaVerdict> {
    return new Promise<SchemaVerdict>((resolve, reject) => {
      let worker: Worker;
      try {
        worker = this.#start();
      } catch (error) {
        reject(error as Error);
        return;
      }
      const id = this.#nextId++;
      this.#jobs.set(id, { resolve, reject });
      this.#port?.postMessage({ id, bytes });
      if (this.#signal) {
        Atomics.add(this.#signal, 0, 1);
        Atomics.notify(this.#signal, 0);
      }
      // A document being validated keeps the process alive; an idle worker does not.
      worker.ref();
    });
  }

  /** Stops the worker; the next validation starts a new one. */
  async close(): Promise<void> {
    const worker = this.#worker;
    this.#stop(new Error('the schema validator was closed'));
    await worker?.terminate();
  }

  #stop(error: Error): void {
    this.#worker = undefined;
    this.#port?.close();
    this.#port = undefined;
    this.#signal = undefined;
    for (const job of this.#jobs.values()) job.reject(error);
    this.#jobs.clear();
  }

  #start(): Worker {
    if (this.#worker) return this.#worker;
    located ??= locate();
    const { modulePath, wasmPath, schema } = located;
    const { port1, port2 } = new MessageChannel();
    const shared = new SharedArrayBuffer(4);
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: {
        modulePath,
        wasmPath,
        schema,
        schemaName: SCHEMA_FILE,
        memory: MEMORY,
        perProgram: PER_PROGRAM,
        port: port2,
        signal: shared,
      },
      transferList: [port2],
    });
    worker.on('message', (m: { kind: string; id: number; valid: boolean; errors: string[] }) => {
      if (m.kind === 'broken') {
        this.#stop(new Error('libxml2 could not validate against the import schema'));
        void worker.terminate();
        return;
      }
      const job = this.#jobs.get(m.id);
      this.#jobs.delete(m.id);
      job?.resolve({ valid: m.valid, errors: m.valid ? [] : m.errors.map(message) });
      if (this.#jobs.size === 0) worker.unref();
    });
    worker.on('error', (error) => {
      if (this.#worker === worker) this.#stop(error);
    });
    worker.on('exit', () => {
      if (this.#worker === worker) this.#stop(new Error('the schema validator stopped'));
    });
    worker.unref();
    port1.unref();
    this.#worker = worker;
    this.#port = port1;
    this.#signal = new Int32Array(shared);
    return worker;
  }
}
