import { transcribeAudio, wordErrorRate, decodeAudio } from '../src/core/speech/index.js';
const t = await transcribeAudio('/work/shared/corpora/audio/jfk.flac');
console.log(t.text, t.durationSeconds, t.engine, t.words.slice(0,3));
console.log(wordErrorRate('And so my fellow Americans, ask not what your country can do for you, ask what you can do for your country.', t.text));
for (const f of ['/tmp/sp/bad.wav','/tmp/sp/nope.wav','/tmp/sp/empty.mp3','/tmp/sp/x.png','/tmp']) { try { await decodeAudio(f) } catch(e) { console.log((e as Error).message) } }
