;;; Follows docs/editors/emacs-eglot.el in Emacs (28 with elpa-eglot and elpa-yaml-mode, or 29+): opens a mapping,
;;; waits for eglot's diagnostics, applies the "Change to 'Legal_Name'" quick fix, asks for a completion.
;;; A manual check, not part of npm test (CI installs no Emacs). From the repository, with the server on PATH:
;;;   d=$(mktemp -d) && cp test/lsp/neovim/people.* "$d" && REPO=$PWD WS="$d" emacs --batch -q -l scripts/check-emacs.el
(setq debug-on-error t)
(load-file (expand-file-name "docs/editors/emacs-eglot.el" (getenv "REPO")))
(find-file (expand-file-name "people.scimmap.yaml" (getenv "WS")))
(princ (format "mode: %s\n" major-mode))
(unless (eglot-current-server) (apply #'eglot (eglot--guess-contact)))
(let ((deadline (+ (float-time) 30)))
  (while (and (< (float-time) deadline)
              (< (length (flymake-diagnostics)) 4))
    (accept-process-output nil 0.1)))
(dolist (d (flymake-diagnostics))
  (princ (format "diag: %S at %d-%d text=%S\n" (flymake-diagnostic-text d) (flymake-diagnostic-beg d) (flymake-diagnostic-end d)
                 (buffer-substring-no-properties (flymake-diagnostic-beg d) (flymake-diagnostic-end d)))))
;; Quick fix: point on Legl_Name, ask for code actions, apply the one titled Change to 'Legal_Name'.
(goto-char (point-min)) (search-forward "Legl_Name") (backward-char 3)
(let* ((actions (jsonrpc-request (eglot-current-server) :textDocument/codeAction
                                 (list :textDocument (eglot--TextDocumentIdentifier)
                                       :range (list :start (eglot--pos-to-lsp-position (point)) :end (eglot--pos-to-lsp-position (point)))
                                       :context (list :diagnostics (vconcat (cl-loop for d in (flymake-diagnostics (point))
                                                                                     when (cdr (assoc 'eglot-lsp-diag (eglot--diag-data d)))
                                                                                     collect it))))))
       (fix (cl-find-if (lambda (a) (equal (plist-get a :title) "Change to 'Legal_Name'")) actions)))
  (princ (format "actions: %S\n" (mapcar (lambda (a) (plist-get a :title)) actions)))
  (when fix (eglot--apply-workspace-edit (plist-get fix :edit))))
(princ (format "fixed line: %s\n" (progn (goto-char (point-min)) (search-forward "displayName") (buffer-substring-no-properties (line-beginning-position) (line-end-position)))))
;; Completion at the end of a new line "  locale: $lowerc".
(goto-char (point-max)) (insert "  locale: $lowerc") (eglot--signal-textDocument/didChange)
(let ((res (jsonrpc-request (eglot-current-server) :textDocument/completion (eglot--TextDocumentPositionParams))))
  (let* ((items (plist-get res :items))
         (it (cl-find-if (lambda (i) (equal (plist-get i :label) "$lowercase")) items)))
    (princ (format "completion item: %S\n" (plist-get it :textEdit)))))
(eglot-shutdown (eglot-current-server))
(princ "shutdown ok\n")
