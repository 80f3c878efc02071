"""Prints the text of a Word file as python-docx reads it: every paragraph, then every table
cell, one a line. Used by the tests of the quarterly report's .docx."""

import sys

import docx


def main(path):
    document = docx.Document(path)
    for paragraph in document.paragraphs:
        print(paragraph.text)
    for table in document.tables:
        for row in table.rows:
            print("\t".join(cell.text for cell in row.cells))
    pictures = [r for r in document.part.rels.values() if "image" in r.reltype]
    print(f"pictures: {len(pictures)}")


if __name__ == "__main__":
    main(sys.argv[1])
