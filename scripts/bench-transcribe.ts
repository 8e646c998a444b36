/**
 * `npm run bench:transcribe`: word error rate and real-time factor of local speech recognition (issue 23).
 * (1) The shared general-English clips (../shared/corpora/audio, transcripts.tsv); (2) synthetic medical
 * dictation: the passages of bench-transcribe-dictations.ts (not in the model's sources) spoken by espeak-ng in
 * three Klatt voices, half of them with pink noise at 15 dB SNR, encoded as FLAC/MP3/OGG/M4A/WAV in turn; and
 * (3) the same passages in espeak-ng's default voice (harder for the acoustic model). Each with Debian's general
 * English model and with the medical model (built and cached under <var>/speech on first use; `--rebuild` forces
 * it). RTF = recognition wall time / audio time, one file at a time, and for the whole set with 2 files at once.
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';

import { loadConfig } from '../src/config/config.js';
import {
  corpusWordErrorRate,
  ensureMedicalModel,
  readModelDir,
  stockModel,
  synthesizeSpeech,
  transcribeAudio,
  transcribeFiles,
  type SpeechModel,
} from '../src/core/speech/index.js';
import { demoProviders } from '../src/modules/demo/demo.rules.js';
import { DICTATIONS } from './bench-transcribe-dictations.js';

const args = process.argv.slice(2);
const config = loadConfig();
const audioDir = path.resolve(config.dataDir, '..', '..', 'corpora', 'audio');

let t0 = performance.now();
const { modelDir, built } = await ensureMedicalModel({
  dataDir: config.dataDir,
  codesetsDir: config.codesetsDir,
  cacheDir: path.join(config.varDir, 'speech'),
  physicianNames: demoProviders,
  force: args.includes('--rebuild'),
});
console.log(`medical model ${built ? 'built' : 'from cache'} in ${((performance.now() - t0) / 1000).toFixed(1)} s: ${modelDir}`);
const models: SpeechModel[] = [stockModel(), await readModelDir(modelDir)];

/**
 * CPU seconds used by finished child processes (ffmpeg, pocketsphinx) so far: /proc/self/stat cutime + cstime. The
 * machine is shared, so wall time varies with others' load; CPU time is what recognition itself costs.
 */
function childCpuSeconds(): number {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // Fields after the command name start at field 3 (state): cutime is field 16, cstime field 17.
  return (Number(fields[13]) + Number(fields[14])) / 100;
}

interface Item {
  file: string;
  reference: string;
}

async function measure(label: string, items: readonly Item[]): Promise<void> {
  for (const model of models) {
    const pairs: { reference: string; hypothesis: string }[] = [];
    let audio = 0;
    let wall = 0;
    const cpu0 = childCpuSeconds();
    for (const item of items) {
      const t = performance.now();
      const tr = await transcribeAudio(item.file, { model });
      wall += performance.now() - t;
      audio += tr.durationSeconds;
      pairs.push({ reference: item.reference, hypothesis: tr.text });
    }
    const cpu = childCpuSeconds() - cpu0;
    const wer = corpusWordErrorRate(pairs);
    console.log(
      `${label.padEnd(34)} ${model.name.padEnd(11)} WER ${(wer * 100).toFixed(1).padStart(5)}%  RTF wall ${(wall / 1000 / audio).toFixed(2)}, CPU ${(cpu / audio).toFixed(2)} (${audio.toFixed(0)} s audio, 1 file at a time)`,
    );
    if (args.includes('--verbose')) for (const p of pairs) console.log(`   ref: ${p.reference}\n   hyp: ${p.hypothesis}`);
  }
}

const tsv = await readFile(path.join(audioDir, 'transcripts.tsv'), 'utf8');
const clips: Item[] = tsv
  .split('\n')
  .slice(1)
  .filter((l) => l.trim() !== '')
  .map((l) => {
    const [file, transcript] = l.split('\t');
    return { file: path.join(audioDir, file ?? ''), reference: transcript ?? '' };
  });
await measure('shared clips (general English)', clips);

const dir = await mkdtemp(path.join(tmpdir(), 'bench-transcribe-'));
try {
  const voices = ['en-us+klatt', 'en-us+klatt2', 'en-us+klatt4'];
  const formats = ['flac', 'mp3', 'ogg', 'm4a', 'wav'];
  t0 = performance.now();
  const klatt: Item[] = [];
  const plain: Item[] = [];
  for (const [i, text] of DICTATIONS.entries()) {
    const file = path.join(dir, `dictation-${String(i)}.${formats[i % formats.length] ?? 'wav'}`);
    await synthesizeSpeech(text, file, {
      voice: voices[i % voices.length] ?? 'en-us+klatt',
      wordsPerMinute: 150 + (i % 3) * 10,
      ...(i % 2 ? { snrDb: 15, seed: i + 1 } : {}),
    });
    klatt.push({ file, reference: text });
    const plainFile = path.join(dir, `plain-${String(i)}.wav`);
    await synthesizeSpeech(text, plainFile, { voice: 'en-us', wordsPerMinute: 160 });
    plain.push({ file: plainFile, reference: text });
  }
  console.log(`synthesized ${String(DICTATIONS.length * 2)} dictations in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  await measure('medical dictation (Klatt voices)', klatt);
  await measure('medical dictation (default voice)', plain);

  const medical = models[1] as SpeechModel;
  const all = [...klatt, ...plain].map((x) => x.file);
  t0 = performance.now();
  const cpu0 = childCpuSeconds();
  const results = await transcribeFiles(all, { model: medical, concurrency: 2 });
  const wall = (performance.now() - t0) / 1000;
  const cpu = childCpuSeconds() - cpu0;
  const audio = results.reduce((s, r) => s + ('transcript' in r ? r.transcript.durationSeconds : 0), 0);
  console.log(
    `parallel (2 at once, medical model): ${String(all.length)} files, ${audio.toFixed(0)} s audio in ${wall.toFixed(1)} s: RTF wall ${(wall / audio).toFixed(2)}, CPU ${(cpu / audio).toFixed(2)} (CPU / 2 cores ${(cpu / 2 / audio).toFixed(2)}); load average ${loadavg()[0]?.toFixed(1) ?? '?'}`,
  );
} finally {
  await rm(dir, { recursive: true, force: true });
}
