/* global window, document */
/*
 * Course editor, progressive enhancement (the page works without it):
 * - the move up/down buttons reorder in place instead of reloading the page,
 *   keep the keyboard focus on the moved item's button, and announce the
 *   new position in the page's live region;
 * - modules and lessons can be dragged by their handle within their list.
 * Both post the full new order to the same endpoint the buttons use
 * (with the page's CSRF token, answer in JSON). No inline script: CSP.
 */
;(function () {
  'use strict'
  var editor = document.querySelector('.authoring-editor')
  if (!editor || !window.fetch || !window.URLSearchParams) return
  var status = document.getElementById('reorder-status')
  var template = editor.getAttribute('data-announce') || ''
  var failed = editor.getAttribute('data-move-error') || ''

  function items(list) {
    return Array.prototype.filter.call(list.children, function (el) {
      return el.hasAttribute('data-id')
    })
  }

  function ids(list) {
    return items(list).map(function (el) {
      return el.getAttribute('data-id')
    })
  }

  function ownForms(item) {
    return Array.prototype.filter.call(item.querySelectorAll('form[data-move]'), function (form) {
      return form.closest('[data-id]') === item
    })
  }

  function announce(item, list) {
    var all = items(list)
    status.textContent = template
      .replace('{title}', item.getAttribute('data-title'))
      .replace('{position}', String(all.indexOf(item) + 1))
      .replace('{count}', String(all.length))
  }

  /** Rewrites every move form of the list for the order now shown. */
  function refresh(list) {
    var order = ids(list)
    items(list).forEach(function (item, i) {
      ownForms(item).forEach(function (form) {
        var to = i + (form.getAttribute('data-move') === 'up' ? -1 : 1)
        var next = order.slice()
        var button = form.querySelector('button')
        if (to < 0 || to >= order.length) button.disabled = true
        else {
          next[i] = order[to]
          next[to] = order[i]
          button.disabled = false
        }
        form.querySelector('input[name="order"]').value = next.join(',')
      })
    })
  }

  function save(list, item) {
    var token = document.querySelector('input[name="_csrf"]')
    var body = new URLSearchParams()
    body.set('_csrf', token ? token.value : '')
    body.set('order', ids(list).join(','))
    body.set('moved', item.getAttribute('data-id'))
    return fetch(list.getAttribute('data-reorder'), {
      method: 'POST',
      credentials: 'same-origin',
      headers: { accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' },
      body: body.toString(),
    })
      .then(function (res) {
        if (!res.ok) throw new Error('HTTP ' + res.status)
        announce(item, list)
      })
      .catch(function () {
        status.textContent = failed
        window.setTimeout(function () {
          window.location.reload()
        }, 2000)
      })
  }

  // Move buttons: in place, focus kept.
  document.addEventListener('submit', function (event) {
    var form = event.target
    if (!form.matches || !form.matches('form[data-move]')) return
    var item = form.closest('[data-id]')
    var list = item && item.parentElement
    if (!list || !list.hasAttribute('data-reorder')) return
    event.preventDefault()
    var siblings = items(list)
    var at = siblings.indexOf(item)
    var up = form.getAttribute('data-move') === 'up'
    var to = at + (up ? -1 : 1)
    if (to < 0 || to >= siblings.length) return
    list.insertBefore(item, up ? siblings[to] : siblings[to].nextSibling)
    refresh(list)
    var button = form.querySelector('button')
    if (button.disabled) {
      var other = ownForms(item).filter(function (f) {
        return f !== form
      })[0]
      if (other) other.querySelector('button').focus()
    } else button.focus()
    save(list, item)
  })

  // Drag and drop within one list, by the handle.
  var dragged = null
  Array.prototype.forEach.call(document.querySelectorAll('[data-reorder]'), function (list) {
    items(list).forEach(function (item) {
      var handle = item.querySelector('.drag-handle')
      if (handle && handle.closest('[data-id]') === item) handle.hidden = false
      item.setAttribute('draggable', 'true')
      item.addEventListener('dragstart', function (event) {
        event.stopPropagation()
        dragged = item
        item.classList.add('dragging')
        event.dataTransfer.effectAllowed = 'move'
        event.dataTransfer.setData('text/plain', item.getAttribute('data-title') || '')
      })
      item.addEventListener('dragend', function (event) {
        event.stopPropagation()
        item.classList.remove('dragging')
        dragged = null
      })
      item.addEventListener('dragover', function (event) {
        if (!dragged || dragged === item || dragged.parentElement !== list) return
        event.preventDefault()
        event.stopPropagation()
        var box = item.getBoundingClientRect()
        var after = event.clientY > box.top + box.height / 2
        list.insertBefore(dragged, after ? item.nextSibling : item)
      })
    })
    list.addEventListener('drop', function (event) {
      if (!dragged || dragged.parentElement !== list) return
      event.preventDefault()
      event.stopPropagation()
      var item = dragged
      refresh(list)
      save(list, item)
    })
  })
})()
