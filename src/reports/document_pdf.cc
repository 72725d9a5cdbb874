#include "reports/document_pdf.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <pango/pangocairo.h>
#include <qrencode.h>

#include <algorithm>
#include <memory>

namespace xietong::reports {

namespace {

constexpr double kMm = 72.0 / 25.4;  // points per millimetre
constexpr double kPageW = 210 * kMm, kPageH = 297 * kMm;
constexpr double kLeft = 28 * kMm, kTop = 37 * kMm;       // 订口, 天头
constexpr double kWidth = 156 * kMm, kHeight = 225 * kMm;  // 版心
constexpr double kBottom = kTop + kHeight;
constexpr double kPitch = kHeight / 22;  // 22 lines a page
constexpr double kBodyPt = 16;           // 3号
constexpr double kTitlePt = 22;          // 2号
constexpr double kPageNoPt = 14;         // 4号
// 28 characters of 16 pt in 156 mm: a little less than a full em between characters.
constexpr double kSpacing = (kWidth - 28 * kBodyPt) / 28;
constexpr const char* kSerif = "Noto Serif CJK SC";
constexpr const char* kSans = "Noto Sans CJK SC";
constexpr double kRed[3] = {0xd4 / 255.0, 0, 0};

class Writer {
 public:
  Writer() {
    surface_ = cairo_pdf_surface_create_for_stream(&Writer::Append, &out_, kPageW, kPageH);
    cr_ = cairo_create(surface_);
  }
  ~Writer() {
    cairo_destroy(cr_);
    cairo_surface_destroy(surface_);
  }
  Writer(const Writer&) = delete;
  Writer& operator=(const Writer&) = delete;

  void Metadata(const std::string& title) {
    cairo_pdf_surface_set_metadata(surface_, CAIRO_PDF_METADATA_TITLE, title.c_str());
    cairo_pdf_surface_set_metadata(surface_, CAIRO_PDF_METADATA_CREATOR, "xietong");
  }

  cairo_t* cr() { return cr_; }
  double y = kTop;  // top of the next line box
  int page = 1;
  bool number_first_page = true;  // 信函格式: 首页不显示页码 (GB/T 9704 §10.1)

  // A layout of `text` `width` wide in `family` `pt` (weight bold when asked).
  PangoLayout* Layout(const std::string& text, const char* family, double pt, bool bold,
                      double width = kWidth) {
    PangoLayout* lay = pango_cairo_create_layout(cr_);
    PangoFontDescription* fd = pango_font_description_new();
    pango_font_description_set_family(fd, family);
    pango_font_description_set_absolute_size(fd, pt * PANGO_SCALE);
    pango_font_description_set_weight(fd, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
    pango_layout_set_font_description(lay, fd);
    pango_font_description_free(fd);
    pango_layout_set_width(lay, static_cast<int>(width * PANGO_SCALE));
    pango_layout_set_wrap(lay, PANGO_WRAP_WORD_CHAR);
    pango_layout_set_text(lay, text.c_str(), static_cast<int>(text.size()));
    return lay;
  }

  // Places `lay` line by line on lines of `pitch`, breaking pages at the 版心's bottom edge.
  void Flow(PangoLayout* lay, double pitch, double pt, const double* rgb = nullptr) {
    PangoLayoutIter* it = pango_layout_get_iter(lay);
    do {
      PangoLayoutLine* line = pango_layout_iter_get_line_readonly(it);
      PangoRectangle logical;
      pango_layout_iter_get_line_extents(it, nullptr, &logical);
      if (y + pitch > kBottom + 0.5) NewPage();
      // The glyphs sit in the middle of the line box; CJK faces ascend ~0.88 em.
      const double baseline = y + (pitch - pt) / 2 + pt * 0.88;
      cairo_save(cr_);
      if (rgb) cairo_set_source_rgb(cr_, rgb[0], rgb[1], rgb[2]);
      else cairo_set_source_rgb(cr_, 0, 0, 0);
      cairo_move_to(cr_, kLeft + static_cast<double>(logical.x) / PANGO_SCALE, baseline);
      pango_cairo_show_layout_line(cr_, line);
      cairo_restore(cr_);
      y += pitch;
    } while (pango_layout_iter_next_line(it));
    pango_layout_iter_free(it);
  }

  // A body paragraph: 3号 serif, first line indented two characters, justified; the heading run
  // in the sans face (黑体).
  void Paragraph(const Block& b, bool indent = true) {
    const std::string text = b.heading + b.text;
    PangoLayout* lay = Layout(text, kSerif, kBodyPt, false);
    pango_layout_set_justify(lay, true);
    if (indent) pango_layout_set_indent(lay, static_cast<int>(2 * (kBodyPt + kSpacing) * PANGO_SCALE));
    PangoAttrList* attrs = pango_attr_list_new();
    pango_attr_list_insert(attrs, pango_attr_letter_spacing_new(static_cast<int>(kSpacing * PANGO_SCALE)));
    if (!b.heading.empty()) {
      PangoAttribute* a = pango_attr_family_new(kSans);
      a->start_index = 0;
      a->end_index = static_cast<unsigned>(b.heading.size());
      pango_attr_list_insert(attrs, a);
    }
    pango_layout_set_attributes(lay, attrs);
    pango_attr_list_unref(attrs);
    Flow(lay, kPitch, kBodyPt);
    g_object_unref(lay);
  }

  // One line of body type aligned left, centred or right within [x0, x0 + w].
  void Line(const std::string& text, PangoAlignment align, double right_inset = 0) {
    PangoLayout* lay = Layout(text, kSerif, kBodyPt, false, kWidth - right_inset);
    pango_layout_set_alignment(lay, align);
    Flow(lay, kPitch, kBodyPt);
    g_object_unref(lay);
  }

  void NewPage() {
    PageNumber();
    cairo_show_page(cr_);
    ++page;
    y = kTop;
  }

  // "— 1 —", 4号 半角 digits, 7 mm under the 版心, one character in from the outer edge.
  void PageNumber() {
    if (page == 1 && !number_first_page) return;
    const std::string text = "— " + std::to_string(page) + " —";
    PangoLayout* lay = Layout(text, kSerif, kPageNoPt, false);
    int w = 0, h = 0;
    pango_layout_get_pixel_size(lay, &w, &h);
    const double x = page % 2 == 1 ? kLeft + kWidth - kPageNoPt - w : kLeft + kPageNoPt;
    cairo_set_source_rgb(cr_, 0, 0, 0);
    cairo_move_to(cr_, x, kBottom + 7 * kMm);
    pango_cairo_show_layout(cr_, lay);
    g_object_unref(lay);
  }

  void Rule(double x0, double x1, double yy, double thickness) {
    cairo_save(cr_);
    cairo_set_source_rgb(cr_, kRed[0], kRed[1], kRed[2]);
    cairo_rectangle(cr_, x0, yy, x1 - x0, thickness);
    cairo_fill(cr_);
    cairo_restore(cr_);
  }

  core::Result<std::string> Finish() {
    PageNumber();
    cairo_show_page(cr_);
    cairo_surface_finish(surface_);
    if (cairo_surface_status(surface_) != CAIRO_STATUS_SUCCESS) {
      return core::Status::Internal("生成PDF失败");
    }
    return std::move(out_);
  }

 private:
  static cairo_status_t Append(void* closure, const unsigned char* data, unsigned int length) {
    static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
    return CAIRO_STATUS_SUCCESS;
  }
  std::string out_;
  cairo_surface_t* surface_ = nullptr;
  cairo_t* cr_ = nullptr;
};

size_t Chars(const std::string& s) {
  size_t n = 0;
  for (unsigned char c : s)
    if ((c & 0xC0) != 0x80) ++n;
  return n;
}

// The red organ mark, centred, its size fitting the width: top edge at `top`; returns its height.
double Mark(Writer& w, const std::string& mark, double top, double max_pt) {
  const double pt = std::min(max_pt, (150 * kMm) / static_cast<double>(std::max<size_t>(Chars(mark), 1)));
  PangoLayout* lay = w.Layout(mark, kSerif, pt, true);
  pango_layout_set_alignment(lay, PANGO_ALIGN_CENTER);
  w.y = top;
  w.Flow(lay, pt * 1.25, pt, kRed);
  g_object_unref(lay);
  return pt * 1.25;
}

// The QR code of `url` (level M, 4-module quiet zone) as black squares, `size` wide at (x, y).
core::Status Qr(cairo_t* cr, const std::string& url, double x, double y, double size) {
  QRcode* q = QRcode_encodeString(url.c_str(), 0, QR_ECLEVEL_M, QR_MODE_8, 1);
  if (!q) return core::Status::Internal("生成二维码失败");
  const int n = q->width;
  const double m = size / (n + 8);
  cairo_save(cr);
  cairo_set_source_rgb(cr, 1, 1, 1);
  cairo_rectangle(cr, x, y, size, size);
  cairo_fill(cr);
  cairo_set_source_rgb(cr, 0, 0, 0);
  for (int r = 0; r < n; ++r)
    for (int c = 0; c < n; ++c)
      if (q->data[r * n + c] & 1) cairo_rectangle(cr, x + (c + 4) * m, y + (r + 4) * m, m, m);
  cairo_fill(cr);
  cairo_restore(cr);
  QRcode_free(q);
  return core::Status::Ok();
}

}  // namespace

core::Result<std::string> RenderModelPdf(const DocumentModel& m, const PrintMarks& marks) {
  Writer w;
  w.Metadata(m.number + " " + m.title);
  const bool letter = m.layout == DocLayout::kLetter;
  if (letter) {
    w.number_first_page = false;
    // 信函格式 (GB/T 9704 §10.1): the mark 30 mm from the top edge; the double rule (上粗下细)
    // 4 mm under it, 170 mm wide; the number flush right on the line under the rule.
    const double h = Mark(w, m.mark, 30 * kMm, 12 * kMm);
    const double rule = 30 * kMm + h + 4 * kMm;
    const double x0 = (kPageW - 170 * kMm) / 2, x1 = x0 + 170 * kMm;
    w.Rule(x0, x1, rule, 0.8 * kMm);
    w.Rule(x0, x1, rule + 0.8 * kMm + 0.7 * kMm, 0.3 * kMm);
    // ... and at the foot of the first page, 20 mm above the bottom edge, thin over thick.
    const double foot = kPageH - 20 * kMm;
    w.Rule(x0, x1, foot - 0.8 * kMm - 0.7 * kMm - 0.3 * kMm, 0.3 * kMm);
    w.Rule(x0, x1, foot - 0.8 * kMm, 0.8 * kMm);
    w.y = rule + 2 * kMm;
    w.Line(m.number, PANGO_ALIGN_RIGHT);
  } else {
    // 文件格式: the 「…文件」 mark at the top of the 版心, two lines, the number centred, the red
    // separator line 4 mm under it over the 版心's width.
    Mark(w, m.mark, kTop, 15 * kMm);
    w.y += kPitch;
    w.Line(m.number, PANGO_ALIGN_CENTER);
    w.Rule(kLeft, kLeft + kWidth, w.y + 4 * kMm - kPitch * 0.15, 0.6 * kMm);
    w.y += 4 * kMm;
  }
  // One blank line, the title (2号 bold, centred), one blank line, the addressee flush left.
  w.y += kPitch;
  {
    PangoLayout* lay = w.Layout(m.title, kSerif, kTitlePt, true);
    pango_layout_set_alignment(lay, PANGO_ALIGN_CENTER);
    w.Flow(lay, kTitlePt * 1.5, kTitlePt);
    g_object_unref(lay);
  }
  w.y += kPitch * 0.5;
  if (!m.addressee.empty()) w.Paragraph(Block{{}, m.addressee + "：", false}, false);
  for (const Block& b : m.body) w.Paragraph(b);
  // The signature: one blank line; the date 右空四字, the organ centred over it.
  w.y += kPitch;
  {
    PangoLayout* lay = w.Layout(m.date, kSerif, kBodyPt, false);
    int dw = 0, dh = 0;
    pango_layout_get_pixel_size(lay, &dw, &dh);
    g_object_unref(lay);
    const double inset = 4 * (kBodyPt + kSpacing);
    const double centre_from_right = inset + dw / 2.0;
    PangoLayout* org = w.Layout(m.issuer, kSerif, kBodyPt, false);
    int ow = 0, oh = 0;
    pango_layout_get_pixel_size(org, &ow, &oh);
    g_object_unref(org);
    const double org_inset = std::max(0.0, centre_from_right - ow / 2.0);
    w.Line(m.issuer, PANGO_ALIGN_RIGHT, org_inset);
    w.Line(m.date, PANGO_ALIGN_RIGHT, inset);
  }
  // The verification block at the bottom of the last page: the QR code (22 mm) and beside it the
  // code and the address (R-DOC-1, R-ASM-3).
  if (!marks.code.empty()) {
    const double qr = 22 * kMm;
    const double top = kBottom - qr;
    if (w.y > top - 2 * kMm) w.NewPage();
    if (!marks.verify_url.empty()) XT_RETURN_IF_ERROR(Qr(w.cr(), marks.verify_url, kLeft, top, qr));
    std::string text = "核验码：" + marks.code;
    if (!marks.verify_url.empty()) text += "\n核验网址：" + marks.verify_url;
    text += "\n扫描二维码或访问核验网址，可查验本文书的编号、发文机关、成文日期及内容摘要（SHA-256）。";
    PangoLayout* lay = w.Layout(text, kSans, 9, false, kWidth - qr - 4 * kMm);
    cairo_set_source_rgb(w.cr(), 0.2, 0.2, 0.2);
    cairo_move_to(w.cr(), kLeft + qr + 4 * kMm, top + 3 * kMm);
    pango_cairo_show_layout(w.cr(), lay);
    g_object_unref(lay);
  }
  return w.Finish();
}

core::Result<std::string> RenderDocumentPdf(const domain::Document& doc, std::string_view origin,
                                            const PrintMarks& marks) {
  XT_ASSIGN_OR_RETURN(DocumentModel m, BuildDocumentModel(doc, origin));
  return RenderModelPdf(m, marks);
}

}  // namespace xietong::reports
