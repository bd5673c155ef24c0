//! The composition the hash decides, before it meets a canvas: our own random stream, the
//! palette and the scene's gradient, glow, bands and discs.

use sha2::{Digest, Sha256};

/// A xoshiro256** stream seeded from the digest: our own, so no library update can change
/// the pictures.
pub(super) struct Dice {
    pub(super) state: [u64; 4],
}

impl Dice {
    pub(super) fn new(digest: [u8; 32]) -> Dice {
        let mut state = [0u64; 4];
        for (word, chunk) in state.iter_mut().zip(digest.chunks_exact(8)) {
            *word = u64::from_le_bytes(chunk.try_into().expect("eight bytes"));
        }
        // The one state xoshiro cannot leave; a SHA-256 digest of zeros is not going to
        // happen, but the stream must not stall if it did.
        if state == [0; 4] {
            state[0] = 1;
        }
        Dice { state }
    }

    pub(super) fn next(&mut self) -> u64 {
        let s = &mut self.state;
        let result = s[1].wrapping_mul(5).rotate_left(7).wrapping_mul(9);
        let t = s[1] << 17;
        s[2] ^= s[0];
        s[3] ^= s[1];
        s[1] ^= s[2];
        s[0] ^= s[3];
        s[2] ^= t;
        s[3] = s[3].rotate_left(45);
        result
    }

    /// Uniform in [0, 1), from the top 24 bits (exactly representable as `f32`).
    pub(super) fn unit(&mut self) -> f32 {
        (self.next() >> 40) as f32 / (1u64 << 24) as f32
    }

    pub(super) fn range(&mut self, low: f32, high: f32) -> f32 {
        low + (high - low) * self.unit()
    }

    pub(super) fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    pub(super) fn chance(&mut self, p: f32) -> bool {
        self.unit() < p
    }

    pub(super) fn angle(&mut self) -> f32 {
        self.range(0.0, std::f32::consts::TAU)
    }
}

/// A colour as blending wants it: red, green, blue from 0 to 255.
pub(super) type Colour = [f32; 3];

pub(super) fn rgb(hex: u32) -> [u8; 3] {
    [(hex >> 16) as u8, (hex >> 8) as u8, hex as u8]
}

/// Palette families, each from its darkest to its lightest colour. The first six are named
/// after the built-in style presets; a job without a style draws one of the others.
pub(super) const FAMILIES: [(&str, [u32; 5]); 10] = [
    ("photo", [0x1F2A30, 0x5B7F95, 0xA7B98A, 0xD9A066, 0xF2EBDD]),
    (
        "illustration",
        [0x1D2B53, 0xFF6B6B, 0x2EC4B6, 0xFFCC4D, 0xFDF6E3],
    ),
    (
        "watercolor",
        [0x3D4A5C, 0x8FB8DE, 0xE8A0BF, 0xB8D8BA, 0xFAF3EA],
    ),
    ("3d", [0x3B3355, 0xF4A58A, 0xB8A1E3, 0x8ED1C6, 0xFFF1E6]),
    ("anime", [0x1A1033, 0xFF3D7F, 0x21D4FD, 0xFFE14D, 0xF8F8FF]),
    ("poster", [0x2B2B2B, 0xC8553D, 0xE3B23C, 0x2A7F80, 0xF1E3C8]),
    ("sunset", [0x2D1E3E, 0xE4572E, 0xF3A712, 0xA23B72, 0xFFE8D1]),
    ("ocean", [0x0B2545, 0x1B6CA8, 0x48B8D0, 0xF4D35E, 0xEEF4ED]),
    ("forest", [0x1B2F23, 0x3A6B35, 0xCBD18F, 0xE3B448, 0xF6F4E8]),
    ("dusk", [0x161A30, 0x5C4B99, 0xE86A92, 0xF7B267, 0xF0ECE5]),
];
/// Where the families a job without a style chooses from begin.
pub(super) const UNNAMED_FAMILIES: usize = 6;

/// The colours of one picture: a family, each colour nudged a little by the composition.
pub(super) struct Palette {
    pub(super) dark: Colour,
    pub(super) mids: [Colour; 3],
    pub(super) light: Colour,
}

impl Palette {
    pub(super) fn pick(style: Option<&str>, dice: &mut Dice) -> Palette {
        // Drawn whether or not it is used, so the rest of the composition is the same with
        // and without a style.
        let unnamed = UNNAMED_FAMILIES + dice.below(FAMILIES.len() - UNNAMED_FAMILIES);
        let family = match style {
            None => unnamed,
            Some(id) => FAMILIES
                .iter()
                .position(|(name, _)| *name == id)
                .unwrap_or_else(|| {
                    // A configured preset with its own id: a family of its own, the same every
                    // time.
                    let digest = Sha256::digest(id.as_bytes());
                    usize::from(digest[0]) % FAMILIES.len()
                }),
        };
        let mut colours = FAMILIES[family].1.map(|hex| {
            let [r, g, b] = rgb(hex);
            [f32::from(r), f32::from(g), f32::from(b)]
        });
        for colour in &mut colours {
            for channel in colour.iter_mut() {
                *channel = (*channel + dice.range(-12.0, 12.0))
                    .round()
                    .clamp(0.0, 255.0);
            }
        }
        Palette {
            dark: colours[0],
            mids: [colours[1], colours[2], colours[3]],
            light: colours[4],
        }
    }
}

/// A straight translucent band across the canvas, in scene units (the short side is 1, the
/// origin the centre).
pub(super) struct Band {
    pub(super) angle: f32,
    pub(super) offset: f32,
    pub(super) width: f32,
    pub(super) softness: f32,
    pub(super) colour: Colour,
    pub(super) alpha: f32,
}

pub(super) enum Fill {
    Solid,
    /// The ring's thickness as a fraction of its radius.
    Ring(f32),
    /// Parallel stripes: their angle and period (scene units); half of each period is ink.
    Stripes {
        angle: f32,
        period: f32,
    },
}

/// A disc: its centre as fractions of the canvas from the middle (±0.5 is the edge), its
/// radius in scene units, and how far from the lens it is (0 near, 1 far).
pub(super) struct Disc {
    pub(super) at: (f32, f32),
    pub(super) radius: f32,
    pub(super) colour: Colour,
    pub(super) alpha: f32,
    pub(super) depth: f32,
    pub(super) fill: Fill,
}

pub(super) struct Glow {
    pub(super) at: (f32, f32),
    pub(super) radius: f32,
    pub(super) colour: Colour,
    pub(super) strength: f32,
}

/// The duotone a reference is graded with: its luminance mapped between two palette colours
/// and mixed in at `strength`.
pub(super) struct Grade {
    pub(super) shadow_from_mid: Option<usize>,
    pub(super) strength: f32,
}

/// Everything the hash decides, before it meets a canvas.
pub(super) struct Scene {
    pub(super) background: [Colour; 2],
    pub(super) gradient_angle: f32,
    pub(super) glow: Glow,
    pub(super) bands: Vec<Band>,
    pub(super) discs: Vec<Disc>,
    /// Which way a dutch angle leans.
    pub(super) dutch: f32,
    /// The edge the reference tiles line: 0 top, 1 right, 2 left.
    pub(super) tile_edge: usize,
    pub(super) grade: Grade,
}

impl Scene {
    pub(super) fn compose(palette: &Palette, dice: &mut Dice) -> Scene {
        let light_mood = dice.chance(0.5);
        let ground = dice.below(3);
        let extreme = if light_mood {
            palette.light
        } else {
            palette.dark
        };
        let contrast = if light_mood {
            palette.dark
        } else {
            palette.light
        };
        let background = if dice.chance(0.5) {
            [extreme, palette.mids[ground]]
        } else {
            [palette.mids[ground], extreme]
        };
        let ink = [
            palette.mids[(ground + 1) % 3],
            palette.mids[(ground + 2) % 3],
            contrast,
        ];
        let gradient_angle = dice.angle();
        let glow = Glow {
            at: (dice.range(-0.4, 0.4), dice.range(-0.4, 0.3)),
            radius: dice.range(0.35, 0.8),
            colour: if light_mood { ink[0] } else { palette.light },
            strength: dice.range(0.25, 0.55),
        };

        let bands = Band::draw_all(&ink, dice);
        let discs = Disc::draw_all(&ink, dice);

        let dutch = if dice.chance(0.5) { 1.0 } else { -1.0 };
        let tile_edge = dice.below(3);
        let grade = Grade {
            shadow_from_mid: dice.chance(0.4).then(|| dice.below(3)),
            strength: dice.range(0.2, 0.36),
        };
        Scene {
            background,
            gradient_angle,
            glow,
            bands,
            discs,
            dutch,
            tile_edge,
            grade,
        }
    }
}

impl Band {
    /// One to three bands at about one angle, in ink colours.
    fn draw_all(ink: &[Colour; 3], dice: &mut Dice) -> Vec<Band> {
        let band_angle = dice.angle();
        (0..1 + dice.below(3))
            .map(|_| Band {
                angle: band_angle + dice.range(-0.35, 0.35),
                offset: dice.range(-0.5, 0.5),
                width: dice.range(0.04, 0.22),
                softness: dice.range(0.0, 0.025),
                colour: ink[dice.below(ink.len())],
                alpha: dice.range(0.25, 0.55),
            })
            .collect()
    }
}

impl Disc {
    /// Three to six discs (solid, rings or striped), large ones first so small ones sit on
    /// them.
    fn draw_all(ink: &[Colour; 3], dice: &mut Dice) -> Vec<Disc> {
        let mut discs: Vec<Disc> = (0..3 + dice.below(4))
            .map(|_| {
                let at = (dice.range(-0.42, 0.42), dice.range(-0.4, 0.32));
                let radius = dice.range(0.06, 0.3);
                let colour = ink[dice.below(ink.len())];
                let alpha = dice.range(0.78, 1.0);
                let depth = dice.unit();
                let kind = dice.unit();
                let thickness = dice.range(0.12, 0.3);
                let stripes = Fill::Stripes {
                    angle: dice.angle(),
                    period: dice.range(0.018, 0.04),
                };
                let fill = if kind < 0.55 {
                    Fill::Solid
                } else if kind < 0.78 {
                    Fill::Ring(thickness)
                } else {
                    stripes
                };
                Disc {
                    at,
                    radius,
                    colour,
                    alpha,
                    depth,
                    fill,
                }
            })
            .collect();
        // Large discs first, so small ones sit on them.
        discs.sort_by(|a, b| b.radius.total_cmp(&a.radius));
        discs
    }
}
