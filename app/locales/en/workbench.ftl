# The workbench: describe an image or edit your own, see the cost first, and follow the
# results as they are made.

## Page
workbench-title = Workbench · banana nano
workbench-description = Generate images from a description, or edit your own with reference images and a painted mask. You see what each one costs before you start.
workbench-heading = Workbench
workbench-lead = Describe what you want to see. Add reference images to edit or combine them, and paint a mask to change only part of a picture.
workbench-no-models = No image models are available right now. Please try again later.

## Model
workbench-model-legend = Model
workbench-model-offline-name = Offline engine
workbench-model-not-ai = Not AI
workbench-model-offline-hint = Draws simple test pictures on our server without any AI model — handy for trying the workbench.
workbench-model-price = { $resolution }: { $credits ->
        [one] 1 credit
       *[other] { $credits } credits
    }
workbench-model-references = { $count ->
        [0] Text to image only
        [one] Edits 1 reference image
       *[other] Edits up to { $count } reference images
    }
workbench-model-mask = Mask editing

## Prompt
workbench-prompt-label = Prompt
workbench-prompt-placeholder = A ripe banana wearing sunglasses on a sunny beach, photographed at golden hour
workbench-prompt-count = { $count } / { $max }
workbench-negative-label = Negative prompt
workbench-negative-hint = What the picture should not contain.

## Reference images
workbench-references-legend = Reference images
workbench-references-lead = { $max ->
        [one] Add an image to edit.
       *[other] Add up to { $max } images to edit or combine. They are used in the order shown.
    }
workbench-references-nojs = Choose the images to edit; they are sent when you generate. The first one is the one a mask applies to.
workbench-drop-zone = Drop images here, or paste them from the clipboard.
workbench-reference-choose = Choose images
workbench-reference-hint = PNG, JPEG or WebP, up to { $max_mb } MB each.
workbench-reference-full = { $max ->
        [one] This model takes one reference image.
       *[other] This model takes at most { $max } reference images.
    }
workbench-reference-too-many = { $max ->
        [0] This model does not take reference images. Remove them, or choose another model.
        [one] This model takes one reference image. Remove the others, or choose another model.
       *[other] This model takes at most { $max } reference images. Remove some, or choose another model.
    }
workbench-reference-list = Reference images, in order
workbench-reference-alt = Reference image { $position }
workbench-reference-uploading = Uploading…
workbench-reference-earlier = Move image { $position } earlier
workbench-reference-later = Move image { $position } later
workbench-reference-remove = Remove image { $position }
workbench-upload-error-type = { $name } is not a PNG, JPEG or WebP image.
workbench-upload-error-size = { $name } is larger than { $max_mb } MB.
workbench-uploads-pending = Please wait until the images have finished uploading.

## Mask
workbench-mask-legend = Mask
workbench-mask-lead = Paint over the parts of the first reference image that should change. Painted areas are made again; everything else stays as it is.
workbench-mask-mode = Paint mask
workbench-mask-canvas = Mask over the first reference image
workbench-mask-tools = Mask tools
workbench-mask-brush = Brush
workbench-mask-eraser = Eraser
workbench-mask-brush-size = Brush size
workbench-mask-undo = Undo
workbench-mask-redo = Redo
workbench-mask-clear = Clear
workbench-mask-invert = Invert
workbench-mask-painted = The painted mask is sent with this request.
workbench-mask-file-label = Or upload a mask image
workbench-mask-file-hint = White areas change and black areas are kept. It applies to the first reference image and should be the same size.
workbench-mask-file-added = The mask image is added and will be used.
workbench-mask-file-remove = Remove mask image
workbench-mask-export-failed = The painted mask could not be prepared. Please try again.

## Settings
workbench-style-label = Style
workbench-style-none = No preset
workbench-style-photo = Photo
workbench-style-illustration = Illustration
workbench-style-watercolor = Watercolour
workbench-style-3d = 3D render
workbench-style-anime = Anime
workbench-style-poster = Poster
workbench-aspect-label = Aspect ratio
workbench-resolution-label = Resolution
workbench-format-label = Format
workbench-quantity-label = Images
workbench-quantity-option = { $count ->
        [one] 1 image
       *[other] { $count } images
    }
workbench-options-nojs = Every option of every model is listed. If the model you chose does not offer one, you will be asked to choose again.
workbench-advanced = Advanced
workbench-seed-label = Seed
workbench-seed-placeholder = Random
workbench-seed-hint = Leave empty for a random seed. The same seed with the same settings gives a very similar picture.
workbench-camera-angle-label = Camera angle
workbench-camera-lens-label = Lens
workbench-camera-lighting-label = Lighting
workbench-camera-none = None
workbench-camera-angle-eye-level = Eye level
workbench-camera-angle-low-angle = Low angle
workbench-camera-angle-high-angle = High angle
workbench-camera-angle-overhead = Overhead
workbench-camera-angle-dutch = Dutch angle
workbench-camera-lens-wide = Wide angle
workbench-camera-lens-normal = Normal
workbench-camera-lens-portrait = Portrait
workbench-camera-lens-telephoto = Telephoto
workbench-camera-lens-macro = Macro
workbench-camera-lighting-natural = Natural light
workbench-camera-lighting-studio = Studio light
workbench-camera-lighting-golden-hour = Golden hour
workbench-camera-lighting-neon = Neon
workbench-camera-lighting-dramatic = Dramatic
workbench-character-consistency = Keep characters consistent
workbench-character-consistency-hint = Keeps the people and characters of your reference images recognisably the same.

## Cost and submit
workbench-cost = { $credits ->
        [one] This will use 1 credit.
       *[other] This will use { $credits } credits.
    }
workbench-cost-unknown = Choose a resolution this model offers to see the cost.
workbench-allowance-account = { $credits ->
        [one] You have 1 credit.
       *[other] You have { $credits } credits.
    }
workbench-allowance-guest = Trial: { $remaining } of { $total } credits left as a guest.
workbench-shortfall-buy = Buy credits
workbench-shortfall-sign-up = Sign up for more credits
workbench-submit = Generate
workbench-submitting = Starting…
workbench-started = { $count ->
        [one] Started 1 image.
       *[other] Started { $count } images.
    }
workbench-error-network = We could not reach the server. Check your connection and try again.
workbench-error-unexpected = Something went wrong on our side. Nothing was charged; please try again.
workbench-error-seed = The seed must be a whole number, or empty for a random one.

## Results
workbench-results-heading = Your images
workbench-results-empty = Nothing yet. Your images appear here as they are made.
workbench-results-guest = As a guest, your images and uploads are kept for 15 days. Sign up within that time and they move to your account.
workbench-status-queued = Queued
workbench-status-running = Running
workbench-status-succeeded = Done
workbench-status-failed = Failed
workbench-status-cancelled = Cancelled
workbench-status-refused = Refused
workbench-task-progress = { $percent }%
workbench-task-working = Working on it…
workbench-task-cost = { $credits ->
        [one] 1 credit
       *[other] { $credits } credits
    }
workbench-task-error-timeout = The model took too long to answer. Your credits were returned.
workbench-task-error-provider = The model service failed to make this image. Your credits were returned.
workbench-task-error-refused-prompt = The prompt was refused under the content policy. Your credits were returned.
workbench-task-error-refused-output = The model’s image was withheld under the content policy. Your credits were returned.
workbench-task-error-refused-upload = A reference image was refused under the content policy. Your credits were returned.
workbench-task-error-unavailable = This model is not available at the moment. Your credits were returned.
workbench-task-error-generic = This image could not be made. Your credits were returned.
workbench-task-cancel = Cancel
workbench-task-cancel-label = Cancel this image
workbench-task-result-alt = Generated image { $number }, { $width } × { $height }
workbench-task-new-tab = (opens in a new tab)
workbench-task-download = Download
workbench-task-download-label = Download image { $number }

