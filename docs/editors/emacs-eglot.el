;;; SCIM Mapper with eglot: Emacs 29+, or Emacs 28 with the eglot package (Debian: elpa-eglot).
;;; Mappings derive from yaml-mode (MELPA, Debian: elpa-yaml-mode). Needs `scimmap-language-server' on PATH.
(require 'yaml-mode)
(require 'eglot)
(define-derived-mode scimmap-mode yaml-mode "SCIM-Mapping")
(define-derived-mode jsonata-mode prog-mode "JSONata")
(add-to-list 'auto-mode-alist '("\\.scimmap\\.ya?ml\\'" . scimmap-mode))
(add-to-list 'auto-mode-alist '("\\.jsonata\\'" . jsonata-mode))
;; The language ids sent are the mode names without -mode: "scimmap", "jsonata".
(add-to-list 'eglot-server-programs '((scimmap-mode jsonata-mode) . ("scimmap-language-server" "--stdio")))
(add-hook 'scimmap-mode-hook #'eglot-ensure)
(add-hook 'jsonata-mode-hook #'eglot-ensure)
