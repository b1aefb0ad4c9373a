// Turns a document model made by Python (assessments/core/word_document.py) into a Word
// document with the npm `docx` library. One writer, one look: the page uses it for the
// tools' Word downloads (cssc-word.js) and the build uses it, under Node, for the stage
// checklists (build/write_docx.mjs).
//
// Everything is one of Word's own styles (Title, Heading 1-4, List Bullet, List Number,
// a table with a header row), so a council can apply its own template. Text is passed to
// the library as text, which escapes it: nothing typed can become markup.
//
// The library is a parameter, not an import, because the page and Node find it in
// different places.

const FONT = "Arial";
const BODY_SIZE = 22; // half-points: 11 pt
const HEADING_SIZES = [40, 32, 28, 24, 22]; // Title, Heading 1-4
const HEADING_COLOUR = "1F3864";

function styles() {
  const heading = (size) => ({
    run: { font: FONT, size, bold: true, color: HEADING_COLOUR },
    paragraph: { spacing: { before: 240, after: 120 }, keepNext: true, keepLines: true },
  });
  return {
    default: {
      document: { run: { font: FONT, size: BODY_SIZE }, paragraph: { spacing: { after: 120 } } },
      title: heading(HEADING_SIZES[0]),
      heading1: heading(HEADING_SIZES[1]),
      heading2: heading(HEADING_SIZES[2]),
      heading3: heading(HEADING_SIZES[3]),
      heading4: heading(HEADING_SIZES[4]),
    },
    // Word's built-in list styles, by their own names.
    paragraphStyles: [
      { id: "ListBullet", name: "List Bullet", basedOn: "Normal", quickFormat: true, paragraph: { spacing: { after: 60 } } },
      { id: "ListNumber", name: "List Number", basedOn: "Normal", quickFormat: true, paragraph: { spacing: { after: 60 } } },
    ],
  };
}

function numbering(docx) {
  const level = (format, text) => ({
    level: 0,
    format,
    text,
    alignment: docx.AlignmentType.LEFT,
    style: { paragraph: { indent: { left: 720, hanging: 360 } } },
  });
  return {
    config: [
      { reference: "cssc-bullets", levels: [level(docx.LevelFormat.BULLET, "\u2022")] },
      { reference: "cssc-numbers", levels: [level(docx.LevelFormat.DECIMAL, "%1.")] },
    ],
  };
}

// Text as typed: each line break becomes a line break in Word.
function textRuns(docx, text, { bold = false, italics = false } = {}) {
  return String(text)
    .split("\n")
    // Emphasis only where asked: an explicit "not bold" would override the heading styles.
    .map((line, index) => new docx.TextRun({ text: line, bold: bold || undefined, italics: italics || undefined, break: index > 0 ? 1 : undefined }));
}

function paragraphOf(docx, block) {
  const children = block.runs.flatMap((run) => textRuns(docx, run.text, { bold: run.bold, italics: run.italic }));
  return new docx.Paragraph({
    children,
    keepNext: block.keep_with_next || undefined,
    keepLines: block.keep_with_next || undefined,
    indent: block.indent ? { left: 360 } : undefined,
  });
}

const HEADINGS = ["TITLE", "HEADING_1", "HEADING_2", "HEADING_3", "HEADING_4"];

function cell(docx, text, header) {
  return new docx.TableCell({ children: [new docx.Paragraph({ children: textRuns(docx, text, { bold: header }) })] });
}

function tableOf(docx, block) {
  const rows = [new docx.TableRow({ tableHeader: true, cantSplit: true, children: block.header.map((text) => cell(docx, text, true)) })];
  for (const row of block.rows) rows.push(new docx.TableRow({ cantSplit: true, children: row.map((text) => cell(docx, text, false)) }));
  return new docx.Table({ rows, width: { size: 100, type: docx.WidthType.PERCENTAGE } });
}

function blocksOf(docx, blocks) {
  const out = [];
  let list = 0; // each numbered list starts again at 1
  for (const block of blocks) {
    if (block.type === "heading") {
      out.push(new docx.Paragraph({ children: textRuns(docx, block.text), heading: docx.HeadingLevel[HEADINGS[block.level]] }));
    } else if (block.type === "paragraph") {
      out.push(paragraphOf(docx, block));
    } else if (block.type === "bullets" || block.type === "numbered") {
      const bulleted = block.type === "bullets";
      list += bulleted ? 0 : 1;
      for (const item of block.items) {
        out.push(new docx.Paragraph({
          children: textRuns(docx, item),
          style: bulleted ? "ListBullet" : "ListNumber",
          numbering: { reference: bulleted ? "cssc-bullets" : "cssc-numbers", level: 0, instance: bulleted ? 0 : list },
        }));
      }
    } else if (block.type === "table") {
      out.push(tableOf(docx, block));
      out.push(new docx.Paragraph({ children: [] })); // Word needs a paragraph between two tables
    } else {
      throw new Error(`Unknown block type in the Word document: ${String(block.type).slice(0, 40)}`);
    }
  }
  return out;
}

/** A docx.Document for the model; pack it with docx.Packer (toBlob in a page, toBuffer in Node). */
export function buildDocument(docx, model) {
  if (!model || model.format !== "cssc-word-document") throw new Error("This is not a document made by the guide.");
  const footer = model.footer
    ? {
        default: new docx.Footer({
          children: [new docx.Paragraph({
            children: [new docx.TextRun({ text: `${model.footer} Page `, size: 18 }), new docx.TextRun({ children: [docx.PageNumber.CURRENT], size: 18 })],
          })],
        }),
      }
    : undefined;
  return new docx.Document({
    creator: model.author || "",
    lastModifiedBy: model.author || "",
    title: model.title,
    subject: model.subject || "",
    description: "",
    styles: styles(),
    numbering: numbering(docx),
    sections: [{ footers: footer, children: blocksOf(docx, model.blocks) }],
  });
}
