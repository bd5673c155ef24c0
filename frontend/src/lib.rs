//! The browser entry point: hydrate the server-rendered page and nothing else.
// The app's view types nest deeply enough to pass the compiler's default query depth.
#![recursion_limit = "256"]

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    // Most pages live in chunks of their own (`cargo leptos build --split`): hydration waits
    // until the chunks of the page on screen have arrived.
    leptos::mount::hydrate_lazy(app::App);
}
