/**
 * Common English given-name variants, each line "canonical: variants". Sources: the diminutives that
 * registration clerks meet every day (e.g. Bill/William, Bob/Robert, Peggy/Margaret, Jack/John); kept short
 * on purpose — ambiguous diminutives (e.g. "al", "chris") map to the most frequent canonical name only.
 */
const GROUPS = `
abigail: abby abbie gail
albert: bert bertie
alexander: alex alec sandy xander
alexandra: alexa lexi sandra
alfred: alf alfie fred freddie
andrew: andy drew
anthony: tony ant
barbara: barb babs
benjamin: ben benny benji
catherine: cathy kate katie kathy cate kath catherin katherine kathryn katharine
charles: charlie chuck chas chaz
christopher: chris kit topher
christine: chrissy tina christina kristine
daniel: dan danny
david: dave davey
deborah: debbie deb debra
donald: don donnie
dorothy: dot dottie dolly
edward: ed eddie ted teddy ned
elizabeth: liz lizzie beth betty bess bessie libby eliza elisabeth lisa betsy
eleanor: ellie nell nora elly
emily: em emmy millie
frances: fran fanny
francis: frank frankie
frederick: fred freddy fritz
gabriel: gabe
gerald: gerry jerry
gregory: greg
harold: harry hal
henry: hank harry
isabella: bella izzy isabel isabelle
jacob: jake jay
james: jim jimmy jamie jem
jennifer: jen jenny jenna
john: jack johnny jon jonathan
joseph: joe joey jo
joshua: josh
katherine: kate
kenneth: ken kenny
lawrence: larry laurie
leonard: len lenny leo
margaret: peggy maggie meg marge margie madge greta peg daisy
matthew: matt matty
michael: mike mikey mick mickey
nathaniel: nate nat nathan
nicholas: nick nicky nico
patricia: pat patty trish tricia
patrick: paddy pat
peter: pete
rebecca: becky becca
richard: rick ricky dick rich richie
robert: bob bobby rob robbie bert
ronald: ron ronnie
samuel: sam sammy
samantha: sam sammie
sarah: sally sadie sara
stephen: steve stevie steven
susan: sue susie suzanne
theodore: theo ted teddy
thomas: tom tommy thom
timothy: tim timmy
victoria: vicky tori
walter: walt wally
william: bill billy will willy liam
zachary: zach zack
`;

const CANONICAL = new Map<string, string>();
for (const line of GROUPS.split('\n')) {
  const [canonical, variants] = line.split(':');
  if (!canonical || variants === undefined) continue;
  CANONICAL.set(canonical.trim(), canonical.trim());
  for (const v of variants.trim().split(/\s+/)) if (!CANONICAL.has(v)) CANONICAL.set(v, canonical.trim());
}

/** The canonical given name for a (lower-case) name or nickname; the name itself when unknown. */
export function canonicalGivenName(name: string): string {
  return CANONICAL.get(name) ?? name;
}

/** True when two lower-case given names are the same name or nicknames of one another. */
export function areNicknames(a: string, b: string): boolean {
  return a !== '' && canonicalGivenName(a) === canonicalGivenName(b);
}
