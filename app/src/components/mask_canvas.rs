//! The inpainting mask: painted with a brush over the first reference image (mouse, touch
//! or pen), with an eraser, undo and redo, clear and invert. The mask is kept as the list
//! of what was done, in the image's own pixels, so the screen can redraw it at any size and
//! the export is exact: a PNG at the image's natural size, white where the model repaints
//! and black where it keeps.

use crate::i18n::t;
use leptos::html::Canvas;
use leptos::prelude::*;
use leptos::wasm_bindgen::JsCast;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement, PointerEvent};

/// The colour strokes show in on screen (the canvas is half transparent over the image).
const SCREEN_INK: &str = "#ff2d6f";
/// The colours of "repaint" and "keep" in the exported mask.
#[cfg(feature = "hydrate")]
const MASK_WHITE: &str = "#ffffff";
#[cfg(feature = "hydrate")]
const MASK_BLACK: &str = "#000000";

/// Brush sizes the slider offers, in screen pixels.
pub const BRUSH_MIN: u32 = 4;
pub const BRUSH_MAX: u32 = 160;
const BRUSH_DEFAULT: u32 = 40;

/// One brush or eraser stroke, in the image's natural pixels.
#[derive(Clone, Debug, PartialEq)]
pub struct MaskStroke {
    pub erase: bool,
    /// Diameter in natural pixels.
    pub size: f64,
    pub points: Vec<(f64, f64)>,
}

/// One step of the mask's history.
#[derive(Clone, Debug, PartialEq)]
pub enum MaskOp {
    Stroke(MaskStroke),
    Clear,
    Invert,
}

/// How much of the image a mask covers, as far as the history tells.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Coverage {
    /// Nothing painted: the mask would keep the whole image.
    Empty,
    /// Some areas painted (possibly all erased again by hand).
    Partial,
    /// Everything painted (an inverted empty mask).
    Full,
}

/// What was done to the mask, with what was undone kept for redo until something new is
/// done.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct MaskHistory {
    ops: Vec<MaskOp>,
    undone: Vec<MaskOp>,
}

impl MaskHistory {
    /// Records a step; whatever was undone can no longer be redone.
    pub fn push(&mut self, op: MaskOp) {
        self.ops.push(op);
        self.undone.clear();
    }

    /// Clears the mask, as an undoable step; clearing an empty mask records nothing.
    pub fn clear(&mut self) {
        if self.coverage() != Coverage::Empty {
            self.push(MaskOp::Clear);
        }
    }

    pub fn invert(&mut self) {
        self.push(MaskOp::Invert);
    }

    pub fn undo(&mut self) -> bool {
        match self.ops.pop() {
            Some(op) => {
                self.undone.push(op);
                true
            }
            None => false,
        }
    }

    pub fn redo(&mut self) -> bool {
        match self.undone.pop() {
            Some(op) => {
                self.ops.push(op);
                true
            }
            None => false,
        }
    }

    pub fn can_undo(&self) -> bool {
        !self.ops.is_empty()
    }

    pub fn can_redo(&self) -> bool {
        !self.undone.is_empty()
    }

    /// Forgets everything, undo included (the image under the mask changed).
    pub fn reset(&mut self) {
        self.ops.clear();
        self.undone.clear();
    }

    pub fn ops(&self) -> &[MaskOp] {
        &self.ops
    }

    /// What the mask covers after replaying the history.
    pub fn coverage(&self) -> Coverage {
        self.ops.iter().fold(Coverage::Empty, |now, op| match op {
            MaskOp::Clear => Coverage::Empty,
            MaskOp::Invert => match now {
                Coverage::Empty => Coverage::Full,
                Coverage::Full => Coverage::Empty,
                Coverage::Partial => Coverage::Partial,
            },
            MaskOp::Stroke(stroke) if stroke.erase => match now {
                Coverage::Empty => Coverage::Empty,
                _ => Coverage::Partial,
            },
            MaskOp::Stroke(_) => match now {
                Coverage::Full => Coverage::Full,
                _ => Coverage::Partial,
            },
        })
    }

    /// Whether the mask asks for any change at all.
    pub fn paints(&self) -> bool {
        self.coverage() != Coverage::Empty
    }
}

/// The 2D context of a canvas.
fn context_2d(canvas: &HtmlCanvasElement) -> Option<CanvasRenderingContext2d> {
    canvas
        .get_context("2d")
        .ok()
        .flatten()
        .and_then(|c| c.dyn_into::<CanvasRenderingContext2d>().ok())
}

/// Draws the part of `stroke` from point `from` on, in `ink`.
fn draw_stroke(ctx: &CanvasRenderingContext2d, stroke: &MaskStroke, from: usize, ink: &str) {
    let _ = ctx.set_global_composite_operation(if stroke.erase {
        "destination-out"
    } else {
        "source-over"
    });
    ctx.set_fill_style_str(ink);
    ctx.set_stroke_style_str(ink);
    ctx.set_line_width(stroke.size);
    ctx.set_line_cap("round");
    ctx.set_line_join("round");
    let points = &stroke.points;
    if points.len() == 1 || from == 0 {
        // A dab where the stroke starts (and all of a stroke that never moved).
        if let Some(&(x, y)) = points.first() {
            ctx.begin_path();
            let _ = ctx.arc(x, y, stroke.size / 2.0, 0.0, std::f64::consts::TAU);
            ctx.fill();
        }
    }
    let start = from.saturating_sub(1);
    if points.len() > start + 1 {
        ctx.begin_path();
        let (x, y) = points[start];
        ctx.move_to(x, y);
        for &(x, y) in &points[start + 1..] {
            ctx.line_to(x, y);
        }
        ctx.stroke();
    }
    let _ = ctx.set_global_composite_operation("source-over");
}

/// Draws the whole history on a `width` × `height` canvas, strokes in `ink`.
fn replay(ctx: &CanvasRenderingContext2d, ops: &[MaskOp], width: f64, height: f64, ink: &str) {
    ctx.clear_rect(0.0, 0.0, width, height);
    for op in ops {
        match op {
            MaskOp::Stroke(stroke) => draw_stroke(ctx, stroke, 0, ink),
            MaskOp::Clear => ctx.clear_rect(0.0, 0.0, width, height),
            MaskOp::Invert => {
                // Painted pixels are opaque ink and the rest transparent: XOR with an
                // opaque fill swaps the two (and turns a soft edge's alpha a into 1 − a).
                let _ = ctx.set_global_composite_operation("xor");
                ctx.set_fill_style_str(ink);
                ctx.fill_rect(0.0, 0.0, width, height);
                let _ = ctx.set_global_composite_operation("source-over");
            }
        }
    }
}

/// Where a pointer event falls on the canvas, in the canvas's (the image's natural)
/// pixels, and how many of those one screen pixel spans.
fn canvas_point(canvas: &HtmlCanvasElement, ev: &PointerEvent) -> ((f64, f64), f64) {
    let rect = canvas.get_bounding_client_rect();
    let scale = if rect.width() > 0.0 {
        f64::from(canvas.width()) / rect.width()
    } else {
        1.0
    };
    let x = (f64::from(ev.client_x()) - rect.left()) * scale;
    let y = (f64::from(ev.client_y()) - rect.top()) * scale;
    ((x, y), scale)
}

/// Renders the mask as a PNG at `width` × `height`: white where the model repaints, black
/// where it keeps.
#[cfg(feature = "hydrate")]
pub async fn export_png(history: &MaskHistory, width: u32, height: u32) -> Option<web_sys::Blob> {
    let canvas: HtmlCanvasElement = document().create_element("canvas").ok()?.dyn_into().ok()?;
    canvas.set_width(width);
    canvas.set_height(height);
    let ctx = context_2d(&canvas)?;
    let (w, h) = (f64::from(width), f64::from(height));
    replay(&ctx, history.ops(), w, h, MASK_WHITE);
    // Black behind everything not painted (and behind the soft edges of what is).
    let _ = ctx.set_global_composite_operation("destination-over");
    ctx.set_fill_style_str(MASK_BLACK);
    ctx.fill_rect(0.0, 0.0, w, h);
    let promise = js_sys::Promise::new(&mut |resolve, _reject| {
        let _ = canvas.to_blob(&resolve);
    });
    let blob = wasm_bindgen_futures::JsFuture::from(promise).await.ok()?;
    blob.dyn_into::<web_sys::Blob>().ok()
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Tool {
    Brush,
    Eraser,
}

/// The mask editor: the image with the canvas over it, and the tools. `width` and `height`
/// are the image's natural size, which the canvas takes as its own.
#[component]
pub fn MaskPainter(
    history: RwSignal<MaskHistory>,
    image_url: String,
    width: u32,
    height: u32,
) -> impl IntoView {
    let canvas = NodeRef::<Canvas>::new();
    let tool = RwSignal::new(Tool::Brush);
    let brush = RwSignal::new(BRUSH_DEFAULT);
    let drawing = StoredValue::new(None::<MaskStroke>);
    let (w, h) = (f64::from(width), f64::from(height));

    redraw_on_change(canvas, history, w, h);

    let start = move |ev: PointerEvent| {
        // Only the primary button of a mouse paints; touch and pen report button 0.
        if ev.button() != 0 {
            return;
        }
        let Some(el) = canvas.get_untracked() else {
            return;
        };
        ev.prevent_default();
        let _ = el.set_pointer_capture(ev.pointer_id());
        let (point, scale) = canvas_point(&el, &ev);
        let stroke = MaskStroke {
            erase: tool.get_untracked() == Tool::Eraser,
            size: f64::from(brush.get_untracked()) * scale,
            points: vec![point],
        };
        if let Some(ctx) = context_2d(&el) {
            draw_stroke(&ctx, &stroke, 0, SCREEN_INK);
        }
        drawing.set_value(Some(stroke));
    };
    let extend = move |ev: PointerEvent| {
        let Some(el) = canvas.get_untracked() else {
            return;
        };
        drawing.update_value(|stroke| {
            let Some(stroke) = stroke else { return };
            ev.prevent_default();
            let (point, _) = canvas_point(&el, &ev);
            stroke.points.push(point);
            if let Some(ctx) = context_2d(&el) {
                draw_stroke(&ctx, stroke, stroke.points.len() - 1, SCREEN_INK);
            }
        });
    };
    let finish = move || {
        if let Some(stroke) = drawing.try_update_value(Option::take).flatten() {
            history.update(|h| h.push(MaskOp::Stroke(stroke)));
        }
    };

    view! {
        <div class="mask-painter">
            <div class="mask-stage">
                <img src=image_url alt="" width=width height=height draggable="false" />
                <canvas
                    id="mask-canvas"
                    node_ref=canvas
                    width=width
                    height=height
                    aria-label=t("workbench-mask-canvas")
                    role="img"
                    on:pointerdown=start
                    on:pointermove=extend
                    on:pointerup=move |_| finish()
                    on:pointercancel=move |_| finish()
                    on:lostpointercapture=move |_| finish()
                ></canvas>
            </div>
            <MaskTools history tool brush />
        </div>
    }
    .into_any()
}

/// Redraws whenever the history changes (a finished stroke, undo, redo, clear, invert)
/// and when the canvas appears.
fn redraw_on_change(canvas: NodeRef<Canvas>, history: RwSignal<MaskHistory>, w: f64, h: f64) {
    Effect::new(move |_| {
        let Some(canvas) = canvas.get() else { return };
        history.with(|history| {
            if let Some(ctx) = context_2d(&canvas) {
                replay(&ctx, history.ops(), w, h, SCREEN_INK);
            }
        });
    });
}

/// The toolbar: brush or eraser, the brush's size, and the history's buttons.
#[component]
fn MaskTools(
    history: RwSignal<MaskHistory>,
    tool: RwSignal<Tool>,
    brush: RwSignal<u32>,
) -> impl IntoView {
    let tool_button = move |id: &'static str, which: Tool, key: &'static str| {
        view! {
            <button
                type="button"
                id=id
                class="button small"
                aria-pressed=move || if tool.get() == which { "true" } else { "false" }
                on:click=move |_| tool.set(which)
            >
                {t(key)}
            </button>
        }
    };
    view! {
        <div class="mask-tools" role="toolbar" aria-label=t("workbench-mask-tools")>
            <div class="mask-tool-group">
                {tool_button("mask-brush", Tool::Brush, "workbench-mask-brush")}
                {tool_button("mask-eraser", Tool::Eraser, "workbench-mask-eraser")}
            </div>
            <div class="field brush-size">
                <label for="brush-size">{t("workbench-mask-brush-size")}</label>
                <input
                    type="range"
                    id="brush-size"
                    min=BRUSH_MIN
                    max=BRUSH_MAX
                    step="2"
                    value=BRUSH_DEFAULT
                    on:input=move |ev| {
                        if let Ok(size) = event_target_value(&ev).parse::<u32>() {
                            brush.set(size.clamp(BRUSH_MIN, BRUSH_MAX));
                        }
                    }
                />
                <output for="brush-size">{move || brush.get()}</output>
            </div>
            <HistoryTools history />
        </div>
    }
}

/// Undo, redo, clear and invert.
#[component]
fn HistoryTools(history: RwSignal<MaskHistory>) -> impl IntoView {
    view! {
        <div class="mask-tool-group">
            <button
                type="button"
                id="mask-undo"
                class="button small"
                disabled=move || !history.with(MaskHistory::can_undo)
                on:click=move |_| {
                    history.update(|h| {
                        h.undo();
                    })
                }
            >
                {t("workbench-mask-undo")}
            </button>
            <button
                type="button"
                id="mask-redo"
                class="button small"
                disabled=move || !history.with(MaskHistory::can_redo)
                on:click=move |_| {
                    history.update(|h| {
                        h.redo();
                    })
                }
            >
                {t("workbench-mask-redo")}
            </button>
            <button
                type="button"
                id="mask-clear"
                class="button small"
                on:click=move |_| history.update(MaskHistory::clear)
            >
                {t("workbench-mask-clear")}
            </button>
            <button
                type="button"
                id="mask-invert"
                class="button small"
                on:click=move |_| history.update(MaskHistory::invert)
            >
                {t("workbench-mask-invert")}
            </button>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stroke(erase: bool) -> MaskOp {
        MaskOp::Stroke(MaskStroke {
            erase,
            size: 12.0,
            points: vec![(1.0, 2.0), (3.0, 4.0)],
        })
    }

    #[test]
    fn undo_and_redo_walk_the_history() {
        let mut history = MaskHistory::default();
        assert!(!history.can_undo() && !history.can_redo());
        assert!(!history.undo() && !history.redo());
        history.push(stroke(false));
        history.push(stroke(true));
        assert!(history.undo());
        assert_eq!(history.ops(), &[stroke(false)]);
        assert!(history.can_redo());
        assert!(history.redo());
        assert_eq!(history.ops(), &[stroke(false), stroke(true)]);
        // Something new ends the redo trail.
        history.undo();
        history.invert();
        assert!(!history.can_redo());
        assert_eq!(history.ops(), &[stroke(false), MaskOp::Invert]);
        history.reset();
        assert!(!history.can_undo() && !history.can_redo());
    }

    #[test]
    fn coverage_follows_paint_erase_clear_and_invert() {
        let mut history = MaskHistory::default();
        assert_eq!(history.coverage(), Coverage::Empty);
        // Erasing nothing leaves nothing; clearing nothing is not a step.
        history.push(stroke(true));
        assert_eq!(history.coverage(), Coverage::Empty);
        history.clear();
        assert_eq!(history.ops().len(), 1);
        history.push(stroke(false));
        assert_eq!(history.coverage(), Coverage::Partial);
        assert!(history.paints());
        history.clear();
        assert_eq!(history.coverage(), Coverage::Empty);
        assert!(!history.paints());
        // Undoing the clear brings the painting back.
        history.undo();
        assert_eq!(history.coverage(), Coverage::Partial);
        history.clear();
        history.invert();
        assert_eq!(history.coverage(), Coverage::Full);
        history.push(stroke(false));
        assert_eq!(history.coverage(), Coverage::Full);
        history.push(stroke(true));
        assert_eq!(history.coverage(), Coverage::Partial);
        history.invert();
        assert_eq!(history.coverage(), Coverage::Partial);
        history.clear();
        history.invert();
        history.invert();
        assert!(!history.paints());
    }
}
