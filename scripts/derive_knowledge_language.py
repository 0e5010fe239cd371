#!/usr/bin/env python3
"""Derives the knowledge matcher's language tables from Debian packages (run once; output is committed).

  apt-get install python3-jieba opencc golang-github-mozillazg-go-pinyin-dev
  python3 scripts/derive_knowledge_language.py

Writes Services/Knowledge/KnowledgeService/Resources/:
  words.txt   "word frequency" — Chinese words of 1-4 characters with jieba frequency >= 10
              (jieba's dict.txt, MIT licence, https://github.com/fxsjy/jieba)
  t2s.txt     "traditional simplified" — single-character folding derived by running OpenCC's t2s
              conversion (Apache-2.0, https://github.com/BYVoid/OpenCC) over every character of the tables
  pinyin.txt  "character pinyin" — the first reading without tone marks, from go-pinyin's pinyin_dict.go
              (MIT, https://github.com/mozillazg/go-pinyin, itself derived from pinyin-data, MIT)
"""
import os
import re
import subprocess
import unicodedata

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


if __name__ == "__main__":
    main()
