# Errors of the workbench's uploads, submits and cancels (shown on the page and returned by
# the JSON endpoints).
generation-error-unsupported-format = Only PNG, JPEG and WebP images can be used. This file is something else, whatever its name says.
generation-error-too-large = This file is too large. Images can be up to { $max_mb } MB.
generation-error-too-many-pixels = This image has too many pixels. Use one of at most 40 megapixels.
generation-error-side-too-long = This image is too wide or too tall. Each side can be up to 8,192 pixels.
generation-error-corrupt = This image cannot be read. It may be damaged; try exporting it again.
generation-error-file-name = This file name is not accepted. Rename the file and try again.
generation-error-no-file = Choose an image to upload.
generation-error-purpose = An upload is either a reference image or a mask.
generation-error-malformed = The upload did not arrive complete. Try again.
generation-error-flagged = This image cannot be used: it was flagged by our content checks.
generation-error-check-unavailable = Images cannot be checked right now, so they cannot be uploaded. Try again in a few minutes.
generation-error-unknown-model = Choose one of the models on offer.
generation-error-empty-prompt = Describe the image you want.
generation-error-prompt-too-long = The prompt can be up to { $max } characters.
generation-error-negative-too-long = The negative prompt can be up to { $max } characters.
generation-error-unknown-style = Choose one of the style presets, or none.
generation-error-quantity = Make between 1 and { $max } images at a time.
generation-error-resolution = This model does not offer that resolution.
generation-error-aspect-ratio = This model does not offer that aspect ratio.
generation-error-format = This model does not offer that file format.
generation-error-too-many-references = This model takes up to { $max } reference images.
generation-error-mask-unsupported = This model cannot repaint a masked area. Choose a model that can, or remove the mask.
generation-error-mask-without-reference = A mask needs a reference image to apply to. Add one first.
generation-error-camera = Choose camera options from the lists.
generation-error-blocked = This prompt cannot be generated: it asks for something our content rules do not allow. No credits were used.
generation-error-unknown-upload = One of the images is no longer available. Upload it again.
generation-error-insufficient-credits = This needs { $required ->
        [one] 1 credit
       *[other] { $required } credits
    } and you have { $available }. Buy credits to continue.
generation-error-trial-exhausted = This needs { $required ->
        [one] 1 trial credit
       *[other] { $required } trial credits
    } and { $available ->
        [one] 1 is left
       *[other] { $available } are left
    }. Create a free account to keep going.
generation-error-not-found = There is no such task.
generation-error-too-late = This task has already started, so it can no longer be cancelled.
generation-error-internal = Something went wrong on our side. Nothing was charged; please try again.
